# A command that is not there: bash names the script and the line, status 127, and goes on.
nosuch-cmd
echo "rc=$?"
nosuch-cmd with args "and words"; echo "rc=$? last=$_"
check() {
  echo "in check"
  nosuch-in-function "$@"
  echo "rc=$?"
}
check a b
bash -c 'nosuch-in-bash-c'
echo "rc=$?"
bash -c 'echo named; nosuch-named' NAME
echo "rc=$?"
sh -c 'nosuch-in-sh'
echo "rc=$?"
sh -c 'echo "$0 $1"; nosuch-in-sh-named' NAME one
echo "rc=$?"
nosuch-piped | cat
echo "rc=$? ${PIPESTATUS[*]}"
out=$(nosuch-substituted)
echo "rc=$? out=$out"
nosuch-quiet 2>/dev/null
echo "rc=$?"
if nosuch-condition; then echo yes; else echo "no rc=$?"; fi
nosuch-first || echo "fallback rc=$?"
/nonexistent/nosuch-path
echo "rc=$?"
ip netns add red
ip netns exec red nosuch-exec
echo "rc=$?"
ip netns exec red bash -c 'nosuch-in-netns'
echo "rc=$?"
ip netns del red
set -e
nosuch-errexit
echo "not reached"
