# ip neigh: static entries (add/change/replace/del/get), show filters and output forms, flush, and
# the errors with their exit statuses.
ip link set lo up
ip link add v0 type veth peer name v1
ip link set v0 up
ip link set v1 up
ip addr add 10.0.0.1/24 dev v0
ip neigh add 10.0.0.7 lladdr 02:00:00:00:00:07 dev v0
ip neigh add 10.0.0.7 lladdr 02:00:00:00:00:07 dev v0; echo rc=$?
ip neigh add 10.0.0.8 lladdr 2:0:0:0:0:8 dev v1 nud stale router
ip neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev v0 nud noarp
ip neigh add 10.0.0.11 lladdr 02:00:00:00:00:0b dev v0 nud reachable
ip neigh add 10.0.0.12 dev v0 nud failed
ip neighbour show dev v1
ip neigh show | sort
ip -4 neigh show nud all | sort
ip neigh show dev v1
ip -4 neigh show nud noarp
ip neigh show nud permanent nud stale | sort
ip neigh show nud 0x20
ip neigh show to 10.0.0.8/31 | sort
ip neigh list 10.0.0.7
ip neigh show proxy
ip -6 neigh show
ip -0 neigh show
ip -j neigh show dev v1
ip -4 -j -p neigh show nud noarp
ip -j neigh show to 10.0.0.12
ip -j neigh show to 10.0.0.200
ip -br neigh show dev v0 | sort
ip -br neigh show dev v1
ip -br -j neigh show to 10.0.0.12
ip -o neigh show dev v1
ip -s neigh show 10.0.0.11
ip -s -j -p neigh show 10.0.0.11
ip neigh change 10.0.0.7 lladdr 02:00:00:00:00:77 dev v0
ip neigh show 10.0.0.7
ip neigh change 10.0.0.99 lladdr 02:00:00:00:00:99 dev v0; echo rc=$?
ip neigh replace 10.0.0.99 lladdr 02:00:00:00:00:99 dev v0 nud stale; echo rc=$?
ip neigh replace 10.0.0.99 lladdr 02:00:00:00:00:98 dev v0; echo rc=$?
ip neigh get 10.0.0.99 dev v0; echo rc=$?
ip -j neigh get 10.0.0.8 dev v1; echo rc=$?
ip neigh get 10.0.0.98 dev v0; echo rc=$?
ip neigh get 10.0.0.98; echo rc=$?
ip neigh del 10.0.0.99 dev v0; echo rc=$?
ip neigh del 10.0.0.99 dev v0; echo rc=$?
ip neigh add 10.0.0.5; echo rc=$?
ip neigh add dev v0; echo rc=$?
ip neigh add 10.0.0.5 lladdr 02:00:00:00:00:05 dev nosuch; echo rc=$?
ip neigh add 10.0.0.5 lladdr zz dev v0; echo rc=$?
ip neigh add 10.0.0.5 lladdr 02:00 dev v0; echo rc=$?
ip neigh add 10.0.0.5 lladdr 1:2:3:4:5:6 lladdr 1:2:3:4:5:6 dev v0; echo rc=$?
ip neigh add 10.0.0.5 10.0.0.6 dev v0; echo rc=$?
ip neigh add 10.0.0.5 nud bogus dev v0; echo rc=$?
ip -6 neigh add 10.0.0.5 dev v0; echo rc=$?
ip neigh show nud bogus; echo rc=$?
ip neigh show dev nosuch; echo rc=$?
ip neigh show dev v0 dev v1; echo rc=$?
ip neigh foo; echo rc=$?
ip neigh help; echo rc=$?
ip neigh flush; echo rc=$?
ip -s -s neigh flush to 10.0.0.11; echo rc=$?
ip -s neigh flush dev v0; echo rc=$?
ip -s neigh flush dev v0; echo rc=$?
ip -4 neigh show nud all | sort
ip neigh flush nud all; echo rc=$?
ip -4 neigh show nud all | sort
ip neigh add 10.0.0.5 dev v0; echo rc=$?
