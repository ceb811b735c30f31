# GNU sort in the C locale: bytes order (A B _ a b), -f, -n, -h, -V, -g, -M, keys with -t and
# character positions, per-key options, -u on keys, -s, -r as the last resort, -c, and errors.
printf 'B\na\nb\nA\n_x\n1\n' | sort
printf 'B\na\nb\nA\n' | sort -f
printf 'B\na\nb\nA\n' | sort -u -f
printf '3\n10\n2\n-1\n1.5\nabc\n\n-0\n' | sort -n
printf 'eth0 100\neth1 20\nlo 3\n' | sort -k2nr
printf 'b:2\na:10\nc:2\n' | sort -t: -k2,2n
printf 'x 1\nx 1\ny 0\nz 1\n' | sort -k2,2 -u
printf '1K\n2M\n3G\n512\n-1K\n0.5M\n' | sort -h
printf '1.10\n1.9\n1.2\nv1.10a\n1.2~rc1\nlinux-6.1.0\nlinux-6.1.0-rc2\n' | sort -V
printf '10.0.0.10\n10.0.0.9\n10.0.0.100\n9.1.1.1\n' | sort -t. -k1,1n -k2,2n -k3,3n -k4,4n
printf 'a  b\na c\n' | sort -k2
printf 'a  b\na c\n' | sort -b -k2
printf 'xb2\nya1\nza3\n' | sort -k1.2,1.2 -k1.3n
printf 'Feb\nJan\nxyz\nDEC\n' | sort -M
printf '1e3\n100\n-inf\nabc\n0x10\n' | sort -g
printf '10 a\n9 b\n10 c\n' | sort -s -k1,1n
printf '10 a\n9 b\n10 c\n' | sort -r -k1,1n
printf 'c\nb\na' | sort -r
printf 'b\na\n' | sort -c; echo "rc $?"
printf 'a\nb\n' | sort -c; echo "rc $?"
printf 'b\na\n' | sort -C; echo "rc $?"
sort nosuch; echo "rc $?"
printf 'a\n' | sort -k 0; echo "rc $?"
printf 'a\n' | sort -t '\t'; echo "rc $?"
printf 'a\n' | sort -k 1x; echo "rc $?"
ip -o link show | awk '{print $2}' | sort
