# GNU seq: -f formats, -w with a sign's column, -s, integers of any size, decimal steps in long
# double with the extra last number, the default precision from the operands, and errors.
seq 3
seq 1 2 10
seq 10 -3 1
seq -w 8 10
seq -w -1 1
seq -s, 5
seq -f '%03g' 3
seq -f 'host-%g.example' 1 2
seq -f '%.2f' 0 0.5 1.5
seq -f '%%%g%%' 2
seq -f '%5.1e' 2
seq 1 0.5 2
seq 0.1 0.1 0.5
seq 0 0.000001 0.000003
seq -w 0.1 0.1 1
seq 1e2 1e2 3e2
seq 100000000000000000000 100000000000000000002
seq 007 009
seq -s: -w 9 11
seq -- -1 1
seq 5 1; echo "rc $?"
seq a; echo "rc $?"
seq 1 0 3; echo "rc $?"
seq; echo "rc $?"
seq -f '%d' 3; echo "rc $?"
seq -w -f %g 1; echo "rc $?"
seq 1 2 3 4; echo "rc $?"
for i in $(seq 1 3); do echo "10.0.0.$i"; done
