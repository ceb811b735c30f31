#!/usr/bin/env bash
# ipset 7.17: hash:ip, hash:net and hash:ip,port sets with their list/save formats and error texts;
# members are sorted (the kernel lists them in jhash bucket order under a random initval).
ip netns add b
ex() { echo "\$ $*"; ip netns exec b "$@"; echo "rc=$?"; }
ex ipset create s1 hash:ip
ex ipset create s1 hash:ip
ex ipset create -exist s1 hash:ip
ex ipset create n1 hash:net counters
ex ipset create p1 hash:ip,port comment
ex ipset create bad hash:foo
ex ipset add s1 10.0.0.1
ex ipset add s1 10.0.0.1
ex ipset add -exist s1 10.0.0.1
ex ipset add s1 10.0.0.0/30
ex ipset add s1 10.0.1.1-10.0.1.2
ex ipset add s1 foo
ex ipset add s9 1.2.3.4
ex ipset add n1 192.168.0.0/16
ex ipset add n1 10.2.0.5 packets 5 bytes 500
ex ipset add n1 10.2.0.6 timeout 5
ex ipset add p1 10.0.0.1,tcp:80 comment "web"
ex ipset add p1 10.0.0.1,udp:53
ex ipset add p1 10.0.0.2,80
ex ipset add p1 10.0.0.3
ex ipset test s1 10.0.0.1
ex ipset test s1 10.0.0.9
ex ipset test n1 192.168.5.5
ex ipset del s1 10.0.0.9
ex ipset del s1 10.0.0.1
ip netns exec b ipset list s1 | sort
ip netns exec b ipset list n1 | sort
ip netns exec b ipset list p1 | sort
ex ipset list -t
ex ipset list -n
ip netns exec b ipset save | sort
ex ipset list nosuch
ex ipset create s2 hash:ip
ex ipset add s2 1.1.1.1
ex ipset swap s1 s2
ex ipset list s1
ex ipset swap s1 n1
ex ipset rename s2 s3
ex ipset rename s3 n1
ex ipset flush s3
ex ipset list s3
ex ipset destroy s3
ex ipset destroy nosuch
printf 'create r1 hash:net\nadd r1 10.0.0.0/8\nadd r1 10.0.0.0/8\n' | ip netns exec b ipset restore; echo "rc=$?"
ex ipset list r1
ex ipset version
ex ipset foo
ex ipset
ex ipset destroy
ex ipset list -n
