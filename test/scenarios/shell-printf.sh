# bash's printf builtin, byte-clean: an escape's byte (\xff, \377) is that one byte, not UTF-8;
# glibc's integer and long double formats (%u of -1, %g, %e, %a, rounding to even), %b, %q,
# the format reused for extra arguments, -v, and the exit status of bad numbers.
printf 'PING\xff' | od -c
printf '\303\277\200\n' | od -An -tx1
printf '\x45\x00\x00\x54' | od -An -tx1
printf '%b' '\x41\0101\101\c' ignored | od -c
printf '%d %x %o %X %i %i\n' 255 255 255 255 010 0x1f
printf '%u %u %d\n' -1 18446744073709551615 "'A"
printf '%5.2f|%-10s|%s|%5s|%-5s|\n' 3.14159 left right ab ab
printf '%05d|%+d|% d|%-5d|%.3d|%#x|%#o\n' 42 42 42 7 5 255 8
printf '%e|%g|%G|%E|%f\n' 1234.5 0.00001234 1e20 0.000123 2.5
printf '%10.4f|%-10.2e|%010.3f|%+.1f\n' 2.5 12345.678 -3.5 0.05
printf '%.0f %.0f %.0f %.0f %.2f %.1f\n' 0.5 1.5 2.5 3.5 2.675 0.25
printf '%.20f %.15g %.17g\n' 0.1 0.1 0.1
printf '%g %g %g %g %g %g %g\n' 100000 1000000 1e-4 1e-5 123456789 0.1 1e100
printf '%a %A %a %f %f\n' 1 0.1 -2.5 inf -inf
printf '%s\n' a b c
printf '%s-%s\n' 1 2 3
printf '%s %s|\n' a
printf '%q\n' 'a b' "a'b" 'a=b,c:d' '~x' 'x~' '#a' '' 'a!b' $'a\tb\001'
printf '%.3s|%c|%*d|%-*d|%.*f\n' abcdef hello 5 1 4 2 2 3.14159
printf -v line '%s=%d' mtu 1500; echo "$line"
printf -- '%s\n' -n
printf '%5%|%s\n' x 2>/dev/null; echo "rc $?"
printf '%d\n' abc 2>/dev/null; echo "rc $?"
printf '%d\n' 12abc 2>/dev/null; echo "rc $?"
printf '%d\n' 08 2>/dev/null; echo "rc $?"
printf '%z\n' x 2>/dev/null; echo "rc $?"
for i in 1 2 3; do printf '%-4s%6.1f%%\n' "eth$i" "$((i * 333))e-1"; done
printf '%02x:%02x:%02x\n' 10 0 255
