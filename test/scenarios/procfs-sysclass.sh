# /sys/class/net shows the devices of the reading task's namespace (`ip netns exec` remounts /sys).
ls /sys/class/net
cat /sys/class/net/lo/ifindex /sys/class/net/lo/flags /sys/class/net/lo/operstate /sys/class/net/lo/address
cat /sys/class/net/lo/carrier
echo "rc=$?"
ip link set lo up
cat /sys/class/net/lo/carrier /sys/class/net/lo/flags /sys/class/net/lo/operstate /sys/class/net/lo/type
ip netns add b
ip link add v0 mtu 1200 type veth peer name v1
ip link set v1 netns b
ls /sys/class/net
ip netns exec b ls /sys/class/net
for f in ifindex iflink mtu operstate flags type tx_queue_len addr_len broadcast dev_id carrier_changes netdev_group; do
  echo "$f=$(cat /sys/class/net/v0/$f)"
done
cat /sys/class/net/v0/carrier
cat /sys/class/net/v0/speed
ip link set v0 up
# operstate follows carrier through linkwatch, which may take up to a second.
sleep 2
echo "carrier=$(cat /sys/class/net/v0/carrier) flags=$(cat /sys/class/net/v0/flags)"
ip netns exec b ip link set v1 mtu 1200 up
sleep 2
echo "carrier=$(cat /sys/class/net/v0/carrier) operstate=$(cat /sys/class/net/v0/operstate) speed=$(cat /sys/class/net/v0/speed) duplex=$(cat /sys/class/net/v0/duplex)"
ip netns exec b cat /sys/class/net/v1/ifindex /sys/class/net/v1/iflink /sys/class/net/v1/carrier_changes
ip addr add 10.0.0.1/24 dev v0
ip netns exec b ip addr add 10.0.0.2/24 dev v1
ping -c 2 -i 0.2 10.0.0.2 > /dev/null
for s in rx_packets tx_packets rx_bytes tx_bytes rx_dropped tx_dropped rx_errors multicast collisions; do
  echo "$s=$(cat /sys/class/net/v0/statistics/$s)"
done
ip netns exec b cat /sys/class/net/v1/statistics/rx_packets
[ "$(cat /sys/class/net/v0/address)" = "$(ip -br link show v0 | awk '{print $3}')" ] && echo address matches
echo 1300 > /sys/class/net/v0/mtu
echo "rc=$? mtu=$(cat /sys/class/net/v0/mtu)"
ip -br link show v0 | cut -c1-20
echo 70000 > /sys/class/net/v0/mtu
echo "rc=$?"
echo abc > /sys/class/net/v0/mtu
echo "rc=$?"
echo 5 > /sys/class/net/v0/ifindex
echo "rc=$?"
echo 500 > /sys/class/net/v0/tx_queue_len
ip link show v0 | grep -o 'qlen [0-9]*'
echo 0x1002 > /sys/class/net/v0/flags
echo "flags=$(cat /sys/class/net/v0/flags) operstate=$(cat /sys/class/net/v0/operstate)"
cat /sys/class/net/v0/carrier
echo 0x1003 > /sys/class/net/v0/flags
ip -br link show v0 | cut -c1-30
cat /sys/class/net/v9/mtu
ls /sys/class/net/v0/statistics | head -3
ls /sys/class/net/v0 | grep -c .
cat /sys/class/net/v0/uevent
