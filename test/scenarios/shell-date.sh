# GNU date reads the wall clock, which runs with time: two readings around `sleep 2` are two
# seconds apart. Output formats (+FORMAT with flags and widths, -I, -R, --rfc-3339, -u), input
# dates (-d, -f) as parse_datetime reads them, and date's errors. LC_ALL=C on both sides.
s=$(date +%s%N); sleep 2; e=$(date +%s%N); echo "slept $(( (e - s) / 1000000000 )) s"
date -d @1700000000.123456789 +'%s %N %3N %-d %_H %e %j %U %V %G %g %u %w %W %C %y %q %p %P %r %R %T %D %F %x %X %c %z %:z %::z %Z %h %n%t| %^a %#Z %10N %-N %_5d %05d %+4Y %-m %_m %5e %-e %q %Q %k%l%%'
date -d @1700000000
date -u -d @0
date -d @1700000000 -I; date -d @1700000000 -Iseconds; date -d @1700000000 -Ins; date -d @1700000000 -Ihours
date -d @1700000000 -Iminutes; date -d @1700000000 --iso-8601=d; date -d @1700000000 --iso=sec
date -d @1700000000 -R; date --rfc-e -d @5; date --rfc-2 -d @5
date -d @1700000000 --rfc-3339=ns; date -d @1700000000 --rfc-3339=date; date -d @1700000000 --rfc-3339=seconds
date +%s -d @5 -u; date --utc -d @7 +%s; date --u -d @9 +%s
for d in "2024-01-02" "2024-01-02 03:04:05" "2024-01-02T03:04:05Z" "2024-01-02 03:04:05.5" \
    "2024-01-02T03:04:05+02:00" "2024-01-02 03:04 +0100" "2024-01-02 + 1 month" \
    "Tue, 14 Nov 2023 22:13:20 +0000" "Nov 14 2023" "14 Nov 2023" "2023-11-14 22:13:20 UTC" \
    "@-5" "@1.5" "@-1.5" "@0.000000001" "20240102" "2024/01/02" "1/2/2024" "2024-01-31 1 month" \
    "2024-01-02 10am" "2024-01-02 3pm" "2024-03-10 last monday" "2024-03-10 next friday" \
    "2024-03-10 +3 weeks -2 days" "2024-03-10 12:00 2 hours ago" "2024-03-10 12:00 1 year" \
    "2024-03-10 14:00 -05:00" "2024-03-10 14:00 +5" "Sun Mar 10 14:00:00 UTC 2024" \
    "2024-01-02 1430" "2024-01-02 14" "january 2, 2024" "Tue Jan 2 2024" "2024-01-02 12:00:00 -0330" \
    "2024-01-02 12:00 pm" "2024-01-02 12:00 am" "2024-01-02 3 hours 30 minutes ago" \
    "2024-01-02 a" "noon" "garbage" "2024-02-30" "2024-13-01" "25:00" "0:00 am" "13:00 pm" \
    "1700000000" "1 2"; do
  printf '%-34s ' "[$d]"; date -u -d "$d" '+%F %T %N' 2>&1
done
date -d garbage; echo "rc=$?"
date -d @1700000000 -d @3; echo "rc=$?"
date -x; echo "rc=$?"
date --foo; echo "rc=$?"
date --r; echo "rc=$?"
date a b; echo "rc=$?"
date -d @1700000000 -I -R; echo "rc=$?"
date -Ifoo; echo "rc=$?"
date --rfc-3339=x; echo "rc=$?"
date --rfc-3339; echo "rc=$?"
date -d; echo "rc=$?"
date --date; echo "rc=$?"
date -d @5 +%s +%s; echo "rc=$?"
date 13010000; echo "rc=$?"
date 0101 +%s; echo "rc=$?"
date -d @5 0101; echo "rc=$?"
date -s garbage; echo "rc=$?"
printf '2024-01-02\n@5\nbad\n' > /tmp/dates.txt; date -f /tmp/dates.txt +%s; echo "rc=$?"; rm /tmp/dates.txt
date -f /nonexistent; echo "rc=$?"
date -r /nonexistent; echo "rc=$?"
