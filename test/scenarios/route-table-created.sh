# A refused route still creates its table; an empty table that exists dumps without error.
ip route add default
ip route del default
ip route show table main
ip route add 1.2.3.0/24 dev lo table 55
ip route show table 55
