# GNU tr over bytes: \0 and octal escapes (NUL-separated /proc data), bytes above 0x7f, ranges,
# classes, [=c=], [c*n] repeats, -c -d -s -t, and tr's messages.
printf 'ip\0netns\0exec\0' | tr '\0' ' '; echo
printf 'a\0b' | tr '\000' '\n'; echo
echo 'AAAAg/+A' | base64 -d | tr '\377\200' 'xy' | od -An -c
printf 'hello\n' | tr 'a-y' 'b-z'
printf 'hello world\n' | tr -cd 'a-z'; echo
printf 'a b  c\n' | tr -s ' ' '\n'
printf 'abc\n' | tr 'abc' 'x'
printf 'abc\n' | tr -t 'abc' 'x'
printf 'eth0:UP\n' | tr '[:lower:]' '[:upper:]'
printf 'ABC1\n' | tr '[:upper:][:digit:]' '[:lower:]#'
printf 'aXb\n' | tr '[=X=]' y
printf 'abcd\n' | tr 'a-d' '[x*]'
printf 'abcd\n' | tr 'a-d' 'x[y*2]z'
printf '00:1A:2b\n' | tr -d ':' | tr 'A-F' 'a-f'
printf ' x \n' | tr -d '[:space:]'; echo
printf 'aaabbb\n' | tr -s 'ab'
printf 'abc\n' | tr -ds a b
printf 'abc\n' | tr 'z-a' x; echo "rc $?"
printf 'abc\n' | tr; echo "rc $?"
printf 'abc\n' | tr a; echo "rc $?"
printf 'abc\n' | tr -d a b; echo "rc $?"
printf 'abc\n' | tr '[:alpha:]' '[:digit:]'; echo "rc $?"
printf 'abc\n' | tr '[:foo:]' x; echo "rc $?"
printf 'abc\n' | tr '[a*2]' xy; echo "rc $?"
printf 'abc\n' | tr '[a*]' x; echo "rc $?"
