#!/usr/bin/env bash
# run.sh — `make run`: a demo database on first use, then serve it.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
DB=${BANGFU_DB:-var/demo.db}
LISTEN=${BANGFU_LISTEN:-127.0.0.1:8080}
if [ ! -e "$DB" ]; then
	umask 077
	pw="Admin$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
	build/bangfu init --db "$DB" --admin-user admin --admin-password "$pw" --demo > var/demo-logins.txt
	printf '%s\n' "$pw" > var/admin-password
	# a sample census roster (普查表) into the demo's first street union
	# (湖滨街道工会服务站, org 3 as demo.c creates it): drafts to work on
	echo "导入示例普查表 docs/samples/普查表示例.csv 到 湖滨街道工会服务站（单位 3）："
	build/bangfu import households --db "$DB" --org-id 3 docs/samples/普查表示例.csv
	# the city's quarterly report of the last finished quarter, as the three files
	y=$(date +%Y) q=$(( ($(date +%-m) - 1) / 3 ))
	[ "$q" -eq 0 ] && { y=$((y - 1)); q=4; }
	for f in json xlsx pdf; do
		build/bangfu report quarterly --db "$DB" --org-id 1 --period "${y}Q${q}" --format $f -o "var/report-${y}Q${q}.$f"
	done
fi
echo "================================================================"
echo " bangfu 困难职工帮扶管理系统 — 演示库 $DB"
echo " 地址： http://$LISTEN"
echo " 管理员：admin   密码：$(cat var/admin-password 2>/dev/null || echo '见 var/demo-logins.txt')"
echo " 其他演示账号（密码均为 Demo2026pass）：见 var/demo-logins.txt"
echo " 命令行登录：curl -s -X POST http://$LISTEN/api/v1/login -H 'Content-Type: application/json' \\"
echo "   -d '{\"username\":\"admin\",\"password\":\"$(cat var/admin-password 2>/dev/null)\"}'"
echo "================================================================"
exec build/bangfu serve --db "$DB" --listen "$LISTEN"
