# xargs' GNU option forms: -n1 and -I{} attached as scripts write them, -i, -n N, -0, -d, -r,
# whole lines as items under -I, and the command run once on empty input unless -r.
seq 6 | xargs -n 2
seq 6 | xargs -n2
echo eth0 eth1 eth2 | xargs -n1 echo dev
printf '10.0.0.1\n10.0.0.2\n' | xargs -I{} echo "ping -c1 {}"
printf '1\n2\n' | xargs -I {} echo item-{}
printf '1\n2\n' | xargs -i echo item-{}
printf 'a b\nc\n' | xargs -I{} echo [{}]
echo "a b" | xargs
printf 'a\0b\0' | xargs -0 -n1 echo
printf 'a,b,c' | xargs -d, -n1 echo
: | xargs -r echo none; echo "rc $?"
: | xargs echo none; echo "rc $?"
echo x | xargs -q; echo "rc $?"
