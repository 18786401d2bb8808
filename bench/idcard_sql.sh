# bench/idcard_sql.sh — sourced by the household generators
# (bench/gen_households.sh for SQLite, bench/pg_households.sh for PostgreSQL).
#
# check_char EXPR [CAST]: SQL for the check character of an ID number
# (GB 11643) whose first 17 characters are EXPR: sum(digit_i * weight_i)
# mod 11 → "10X98765432".  CAST follows each digit (PostgreSQL: ::int).
check_char() {
	local s=$1 cast=${2:-} w=(7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2) i expr=""
	for ((i = 0; i < 17; i++)); do
		expr+="${expr:+ + }substr($s, $((i + 1)), 1)$cast * ${w[i]}"
	done
	echo "substr('10X98765432', (($expr) % 11) + 1, 1)"
}
