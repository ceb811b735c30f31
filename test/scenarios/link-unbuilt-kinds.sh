# Kinds iproute2 knows (it has a link_util for them, with or without an options parser) whose
# modules this kernel lacks: iproute2 takes the words after the kind and the kernel answers
# 'Unknown device type'. A kind iproute2 does not know (wireguard) makes them garbage.
for t in gre ipip sit gretap erspan geneve vrf bareudp xfrm bond ipvlan ip6tnl macsec vti; do
  case $t in
    gre|ipip|sit|gretap|erspan|vti) a="remote 1.2.3.4 local 5.6.7.8" ;;
    geneve) a="id 5 remote 1.2.3.4" ;;
    vrf) a="table 10" ;;
    bareudp) a="dstport 6635 ethertype mpls_uc" ;;
    xfrm) a="if_id 5" ;;
    bond) a="mode active-backup" ;;
    ipvlan) a="mode l2" ;;
    *) a="" ;;
  esac
  printf '%s: ' "$t"; ip link add "x$t" type "$t" $a; echo "rc=$?"
done
for t in wireguard nlmon vcan team; do printf '%s: ' "$t"; ip link add "x$t" type "$t"; echo "rc=$?"; done
for t in wireguard nlmon vcan team; do printf '%s: ' "$t"; ip link add "x$t" type "$t" foo bar; echo "rc=$?"; done
ip -br link
