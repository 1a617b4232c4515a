#!/bin/sh
# One call, with curl: Barcelona's candidacy to the demo's Educating Cities Award, from a draft
# to a laureate in the databank, each answer checked (the walk stops, loudly, at the first
# step that does not answer as it says). On a fresh `make run`, in another terminal:
#
#   S=awd_... A=awd_... sh docs/walkthrough.sh [http://127.0.0.1:8000]
#
# S and A are the Secretariat's and Barcelona's tokens `make run` printed (or `awards token
# EMAIL`). The README quotes this file and CI runs it (tests/e2e/test_walkthrough.py).
set -eu
API=${1:-http://127.0.0.1:8000}/api/v1
: "${S:?the Secretariat token}" "${A:?the applicant token}"
answer=$(mktemp)
trap 'rm -f "$answer"' EXIT

# call METHOD PATH [TOKEN [JSON]]: curl -X METHOD -H "Authorization: Bearer TOKEN" -d JSON
# $API/PATH, its answer kept for `value` and `expect`; any status but 2xx stops the walk.
call() {
  method=$1 path=$2 token=${3:-} json=${4:-}
  echo "$method $path" >&2
  set -- -sS -o "$answer" -w '%{http_code}' -X "$method"
  [ -z "$token" ] || set -- "$@" -H "Authorization: Bearer $token"
  [ -z "$json" ] || set -- "$@" -H 'Content-Type: application/json' --data "$json"
  status=$(curl "$@" "$API$path")
  case $status in
  2??) ;;
  *) echo "walkthrough: $method $path answered $status: $(head -c 600 "$answer")" >&2 && exit 1 ;;
  esac
}
# value EXPR: a Python expression over the last answer, `j`.
value() {
  python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
    "$answer" "$1"
}
# expect EXPR WANTED: stop unless EXPR over the last answer is WANTED.
expect() {
  got=$(value "$1")
  [ "$got" = "$2" ] || { echo "walkthrough: $1 is $got, not $2: $(head -c 600 "$answer")" >&2 && exit 1; }
}

# The kinds of call: their forms, rubrics and workflows.
call GET /call-kinds
expect '"educating-cities-award" in [kind["kind"] for kind in j]' True

# The demo opens a call of each kind: find the Educating Cities Award by its kind.
call GET /calls
AWARD='[c["id"] for c in j if c["kind"] == "educating-cities-award" and c["state"] == "open"]'
expect "len($AWARD)" 1
CALL=$(value "$AWARD[0]")

# Barcelona starts a draft, then completes it; PATCH needs the version it read (409 if stale).
call POST "/calls/$CALL/submissions" "$A" '{"answers": {"focus_area": "lifelong_education"}}'
expect 'j["state"], j["version"]' "('draft', 1)"
SUB=$(value 'j["id"]')
call PATCH "/submissions/$SUB" "$A" '{"version": 1, "answers": {
  "title": {"en": "Schools open to the city", "fr": "Écoles ouvertes", "es": "Escuelas abiertas", "pt": "Escolas abertas"},
  "summary": {"en": "Schoolyards open as squares", "fr": "Cours ouvertes", "es": "Patios abiertos", "pt": "Pátios abertos"},
  "description": {"en": "Forty schools", "fr": "Quarante écoles", "es": "Cuarenta escuelas", "pt": "Quarenta escolas"},
  "impact": {"en": "Twelve thousand visits", "fr": "Douze mille visites", "es": "Doce mil visitas", "pt": "Doze mil visitas"},
  "started_on": "2022-09-01", "contact_name": "Ada Serra", "contact_email": "ada@barcelona.example"}}'
expect 'j["version"]' 2

# What Barcelona may do now, and why not; then it submits.
call GET "/submissions/$SUB/transitions" "$A"
expect '[(t["name"], t["allowed"]) for t in j]' "[('submit', True), ('withdraw', True)]"
call POST "/submissions/$SUB/transitions" "$A" '{"name": "submit"}'
expect 'j["state"]' submitted

# The Secretariat checks eligibility, closes the call and runs the review, then decides.
call POST "/submissions/$SUB/transitions" "$S" '{"name": "mark_eligible"}'
expect 'j["state"]' eligible
call POST "/calls/$CALL/transitions" "$S" '{"name": "close"}'
expect 'j["state"]' closed
call POST "/calls/$CALL/transitions" "$S" '{"name": "start_review"}'
expect 'j["state"]' reviewing
call POST "/submissions/$SUB/transitions" "$S" '{"name": "start_review"}'
expect 'j["state"]' in_review
call POST "/calls/$CALL/transitions" "$S" '{"name": "deliberate"}'
expect 'j["state"], j["submissions_by_state"]' "('deciding', {'in_review': 1})"
call POST "/submissions/$SUB/transitions" "$S" '{"name": "award"}'
expect 'j["state"]' laureate

# The results are published: the call, then the laureate, which enters the databank.
call POST "/calls/$CALL/transitions" "$S" '{"name": "publish"}'
expect 'j["state"]' published
call POST "/submissions/$SUB/transitions" "$S" '{"name": "publish"}'
expect 'j["state"]' published
call GET "/databank?q=schools"
expect '[(e["title"]["en"], e["distinction"]) for e in j["entries"]]' \
  "[('Schools open to the city', 'laureate')]"

# Every step: who, when, from, to, why.
call GET "/submissions/$SUB/history" "$A"
expect '[h["to_state"] for h in j]' \
  "['draft', 'submitted', 'eligible', 'in_review', 'laureate', 'published']"
echo "walkthrough: submission $SUB of call $CALL is a laureate, published in the databank" >&2
