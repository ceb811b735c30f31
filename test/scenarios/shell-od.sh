# GNU od (coreutils 9.1): every byte value under -c/-a/-b and the -t types, the address radixes,
# several formats per line, '*' for repeated lines and -v, -w, -j/-N, --endian, floats, -S,
# the old offset operands, and od's messages and statuses.
cd /tmp
echo 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5fYGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn+AgYKDhIWGh4iJiouMjY6PkJGSk5SVlpeYmZqbnJ2en6ChoqOkpaanqKmqq6ytrq+wsbKztLW2t7i5uru8vb6/wMHCw8TFxsfIycrLzM3Oz9DR0tPU1dbX2Nna29zd3t/g4eLj5OXm5+jp6uvs7e7v8PHy8/T19vf4+fr7/P3+/w==' | base64 -d > netnest-od-all.bin
echo 'AAAAAAAAAIAAAIA/AADAv83MzD0BAAAA//9/fwAAgH8AAMB/ZSDxR5qZmZmZmbk/VVVVVVVV1T8BAAAAAAAAAFDv4tbkGktEAAAAAAAABMA=' | base64 -d > netnest-od-fl.bin
od -c netnest-od-all.bin
od -a netnest-od-all.bin
od -t x1z netnest-od-all.bin
od -Ad -t d1 -t u2 netnest-od-all.bin
od -Ax -t x2 -t o4 -t d8 -N 40 netnest-od-all.bin
od -An -x -d -i -l netnest-od-all.bin | head -4
od -b -o -s netnest-od-all.bin | tail -4
od -j 0x7f -N 21 -tx4 -tc netnest-od-all.bin
od -w5 -tx1 -N 13 netnest-od-all.bin
od -w -c -N 40 -j 60 netnest-od-all.bin
od --endian=big -tx2 -tx8 -N 16 netnest-od-all.bin
od -t f4 -t x4 -N 40 netnest-od-fl.bin
od -j 40 -t f8 -t fL netnest-od-fl.bin
printf 'PING 10.0.0.2 56(84) bytes\n' | od -c
printf 'abcde' | od -t x4 -t c -t x1z
printf '%.0s-' $(seq 100) | od -c
printf '%.0s-' $(seq 100) | od -v -An -tx1 -w32
printf 'ab\0cde\0\tfgh\0' | od -S3 -Ad
od -c netnest-od-all.bin +370
od --traditional -c netnest-od-all.bin 370 20
: | od; echo "rc $?"
od -t q netnest-od-all.bin; echo "rc $?"
od -t x3 netnest-od-all.bin; echo "rc $?"
od -Ay netnest-od-all.bin; echo "rc $?"
od -j 5x netnest-od-all.bin; echo "rc $?"
od -j 300 netnest-od-all.bin; echo "rc $?"
od -N 4 nosuch netnest-od-all.bin; echo "rc $?"
od -w6 -tx4 -N8 netnest-od-all.bin; echo "rc $?"
od --endian=middle netnest-od-all.bin; echo "rc $?"
od -q; echo "rc $?"
rm -f netnest-od-all.bin netnest-od-fl.bin
