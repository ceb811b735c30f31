# ip -d link of a bridge and its ports (IFLA_INFO_DATA / IFLA_INFO_SLAVE_DATA), bridge options on
# add and set with the kernel's range checks, type bridge_slave options, bridge -d link show.
# Fixed addresses keep the bridge id (printed by ether_ntoa, without zero padding) the same.
ip link add br0 type bridge
ip -d link show br0
ip link add v0 address 02:00:00:00:00:10 type veth peer name v1 address 02:00:00:00:00:11
ip link set v0 master br0
ip -d link show br0
ip -d link show v0
ip -j -d link show v0
ip link add br1 address 02:00:00:00:00:b1 type bridge forward_delay 400 hello_time 300 max_age 1000 ageing_time 6000 priority 4096 group_fwd_mask 0x4000 group_address 01:80:c2:00:00:0e mcast_snooping 0 mcast_querier 1 mcast_hash_max 1024 mcast_query_interval 50 nf_call_iptables 1 no_linklocal_learn 1
# The gc timer runs from ageing_time set at creation, even on a bridge that is down.
ip -d link show br1 | sed -E 's/gc_timer +[0-9.]+/gc_timer T/'
ip -j -d link show br1 | sed -E 's/"gc_timer":[0-9.]+/"gc_timer":T/'
for o in "forward_delay 1" "hello_time 50" "hello_time 1001" "max_age 599" "max_age 4001" "priority 70000" "priority x" "vlan_filtering 0" "group_fwd_mask 1" "group_address 01:80:c2:00:00:02" "group_address 11:22:33:44:55:66" "group_address zz" "mcast_router 3" "mcast_igmp_version 4" "mcast_mld_version 3" "mcast_vlan_snooping 1" "vlan_protocol 802.1ad" "stp_state 2" "forward_delay 100" "forward_delay 3001" "stp_state 0" "forward_delay 100" "ageing_time 0" "fdb_flush" "bogus 1" "forward_delay"; do
  echo "== $o"; ip link set br1 type bridge $o 2>&1; echo "rc=$?"
done
ip -d link show br1 | sed -n 3p | sed -E 's/gc_timer +[0-9.]+/gc_timer T/'
ip link add br2 type bridge stp_state 1 forward_delay 100; echo rc=$?
ip -d link show br2 | grep -o 'forward_delay [0-9]*'
ip link add br3 type bridge hello_time 5000; echo rc=$?
ip link show br3; echo rc=$?
for o in "state 5" "state 3" "priority 64" "priority 63" "cost 0" "cost 65536" "cost 65535" "guard on" "guard x" "hairpin on" "learning off" "flood off" "mcast_flood off" "bcast_flood off" "isolated on" "locked on" "proxy_arp on" "proxy_arp_wifi on" "root_block on" "fastleave on" "mcast_to_unicast on" "neigh_suppress on" "vlan_tunnel on" "group_fwd_mask 2" "group_fwd_mask 0x4001" "mcast_router 4" "mcast_router 3" "backup_port v1" "nobackup_port" "fdb_flush" "bogus" "state"; do
  echo "== $o"; ip link set v0 type bridge_slave $o 2>&1; echo "rc=$?"
done
ip -d link show v0 | sed -n 4p
bridge -d link show
ip link set v1 type bridge_slave cost 5; echo rc=$?
ip link set br0 type bridge_slave cost 5; echo rc=$?
ip link set v0 type bridge hello_time 300; echo rc=$?
ip link add v2 address 02:00:00:00:00:20 type veth peer name v3 address 02:00:00:00:00:21
ip link set v2 master br0
ip link set v0 type bridge_slave backup_port v2; echo rc=$?
ip -d link show v0 | grep -o 'backup_port [a-z0-9]*'
ip link set v0 type bridge_slave backup_port v0; echo rc=$?
ip link set v2 nomaster
ip -d link show v0 | grep -c backup_port
ip link set br0 up; ip link set v0 up; ip link set v1 up
bridge link set dev v0 state 1; echo rc=$?
bridge link show dev v0
bridge link set dev v0 priority 10 cost 7 guard on root_block off; echo rc=$?
bridge -d link show dev v0
ip -d link show v0 | grep -o 'port_id [0-9a-fx]* port_no [0-9a-fx]* designated_port [0-9]*'
bridge link set dev v0 guard x; echo rc=$?
bridge link set dev v0 backup_port nosuch; echo rc=$?
bridge link set dev v0 cost 0 priority 70; echo rc=$?
bridge link set dev v0 mcast_router 9; echo rc=$?
ip link set br1 type bridge ageing_time 2000
ip -d link show br1 | grep -o 'ageing_time [0-9]*'
bridge link set dev v0 learning_sync on; echo rc=$?
bridge link set dev v0 hwmode vepa; echo rc=$?
bridge link set dev v0 hwmode x; echo rc=$?
