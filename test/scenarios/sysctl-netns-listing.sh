# Every net.core, net.ipv4, net.netfilter and net.unix sysctl a new network namespace has, with
# its value (sysctl -a, as procps lists them). nf_hooks_lwtunnel is left out: it is a static key
# of the whole machine, so a new namespace shows what any namespace last set.
ip netns add a
ip netns exec a sysctl -a 2>&1 | grep -E '^net\.(ipv4|core|netfilter|unix)' | grep -v '^net\.netfilter\.nf_hooks_lwtunnel '
# The same names, read one by one.
ip netns exec a sysctl -N -a | grep -E '^net\.(core|unix)\.' | while read -r k; do ip netns exec a sysctl -n "$k"; done
ip netns del a
