#!/usr/bin/env bash
# Scans the app with two outside scanners from Debian (apt-get install wapiti sqlmap), signed in, as the
# container runs it: `dotnet publish`, then `dotnet SaasStarter.dll` from the publish folder in Production
# on a free loopback port, SQLite in a fresh data folder, the platform operator created from Setup:*.
#
#   bash scripts/security-scan.sh       # from the solution folder (or anywhere: paths are its own)
#
# It signs in with curl, creates a workspace, a project and an API key, then
#   - wapiti crawls the signed-in app (pages, forms, /admin, /api/v1 with the key) and attacks every
#     parameter: SQL injection (errors and time), XSS (reflected and stored), command, file, open redirect,
#     CRLF, SSRF and forms without anti-forgery;
#   - sqlmap tests the login form, the pages' filter and paging parameters and the API's query parameters.
# Exit 1 when a scanner reports a finding, or when the app answered any 5xx or logged an Error (its JSON log
# on stdout); exit 0 prints "no findings"; exit 2 when it could not scan (a tool missing, publish, start or
# sign-in failed). Reports (findings.txt, the scanners' logs, app.log) stay in $SCAN_REPORTS if set.
# Limits (seconds): WAPITI_CRAWL_SECONDS (120) for wapiti's crawl, WAPITI_MODULE_SECONDS (45) for each of its
# attack modules, SQLMAP_SECONDS (300) for sqlmap; the summary names what a limit cut short.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
crawl_seconds=${WAPITI_CRAWL_SECONDS:-120}
module_seconds=${WAPITI_MODULE_SECONDS:-45}
sqlmap_seconds=${SQLMAP_SECONDS:-300}
for tool in wapiti sqlmap curl python3 dotnet; do
  command -v "$tool" >/dev/null || { echo "security-scan: $tool is not installed (apt-get install wapiti sqlmap curl)" >&2; exit 2; }
done

work=$(mktemp -d)
reports=${SCAN_REPORTS:-$work/reports}
mkdir -p "$reports" "$work/data"
app_pid=
cleanup() {
  if [[ -n $app_pid ]] && kill -0 "$app_pid" 2>/dev/null; then
    kill -TERM "$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
started=$SECONDS
say() { printf '[security-scan %3ds] %s\n' $((SECONDS - started)) "$*"; }

say "publishing src/SaasStarter"
dotnet publish "$here/src/SaasStarter/SaasStarter.csproj" -c Release -o "$work/app" -nologo >"$work/publish.log" 2>&1 \
  || { cat "$work/publish.log" >&2; exit 2; }

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
email=operator@scan.test
password=scan-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')

# The Dockerfile's environment, a free port instead of 8080, and: SQLite whatever the generated default,
# the operator, request logging (each request's status in the log), and API rate limits a scanner cannot
# exhaust (a 429 would hide what a parameter does).
say "starting the app at $base"
(cd "$work/app" && exec env -u ASPNETCORE_HTTP_PORTS -u DOTNET_ENVIRONMENT \
  ASPNETCORE_ENVIRONMENT=Production \
  ASPNETCORE_URLS="$base" \
  App__PublicUrl="$base" \
  Database__Provider=Sqlite \
  Database__DataDirectory="$work/data" \
  Database__MigrateOnStartup=true \
  Setup__AdminEmail="$email" \
  Setup__AdminPassword="$password" \
  Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics=Information \
  Plans__Catalog__0__Limits__ApiRequestsPerMinute=1000000 \
  Api__RateLimits__PerKey__PermitsPerMinute=1000000 Api__RateLimits__PerKey__Burst=1000000 \
  Api__RateLimits__PerTenant__PermitsPerMinute=1000000 Api__RateLimits__PerTenant__Burst=1000000 \
  Api__RateLimits__Anonymous__PermitsPerMinute=1000000 Api__RateLimits__Anonymous__Burst=1000000 \
  Api__RateLimits__FailedKeys__PermitsPerMinute=1000000 Api__RateLimits__FailedKeys__Burst=1000000 \
  dotnet SaasStarter.dll) >"$work/app.log" 2>&1 &
app_pid=$!

for _ in $(seq 120); do
  curl -fs -o /dev/null "$base/health/ready" && break
  kill -0 "$app_pid" 2>/dev/null || { cat "$work/app.log" >&2; echo "security-scan: the app exited" >&2; exit 2; }
  sleep 1
done
curl -fs -o /dev/null "$base/health/ready" || { tail -50 "$work/app.log" >&2; echo "security-scan: not ready in 120 s" >&2; exit 2; }

jar=$work/cookies.txt
# The anti-forgery token of the form on a page (the cookie it pairs with lands in the jar).
token_of() {
  curl -fsS -b "$jar" -c "$jar" "$base$1" \
    | grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//'
}
# POSTs a form with its page's token; prints the final page (redirects followed).
post_form() {
  local path=$1 action=$2 token; shift 2
  token=$(token_of "$path")
  curl -fsS -L -b "$jar" -c "$jar" --data-urlencode "__RequestVerificationToken=$token" "$@" "$base$action"
}

say "signing in as the operator, creating workspace 'scan', a project and an API key"
post_form /Identity/Account/Login /Identity/Account/Login \
  --data-urlencode "Input.Email=$email" --data-urlencode "Input.Password=$password" >/dev/null
# Signed in when the dashboard answers instead of redirecting to the login page.
[[ $(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base/dashboard") == 200 ]] \
  || { echo "security-scan: sign-in failed" >&2; exit 2; }
post_form /tenants/new /tenants/new --data-urlencode "Input.Name=Scan" --data-urlencode "Input.Slug=scan" >/dev/null
key=$(post_form /t/scan/api-keys "/t/scan/api-keys?handler=Create" --data-urlencode "Name=scan" \
  -d ExpiresInDays= -d Scopes=projects.read -d Scopes=projects.write -d Scopes=members.read \
  -d Scopes=members.invite -d Scopes=audit.read | grep -o 'sk_live_[A-Za-z0-9_-]*' | head -1)
[[ -n $key ]] || { echo "security-scan: no API key was shown" >&2; exit 2; }
curl -fsS -o /dev/null -H "X-Api-Key: $key" -H 'Content-Type: application/json' \
  -d '{"name":"Scanned project","description":"seed"}' "$base/api/v1/projects"
tenant_id=$(curl -fsS -H "X-Api-Key: $key" "$base/api/v1/tenant" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

# A curl cookie jar as wapiti's cookie file: {"host": {"path": {"name": {value, expires, secure, port, version}}}}.
wapiti_cookies() {
  python3 - "$1" <<'EOF'
import json, sys
cookies = {}
for line in open(sys.argv[1]):
    if line.startswith("#HttpOnly_"): line = line[len("#HttpOnly_"):]
    elif line.startswith("#") or not line.strip(): continue
    domain, _, path, secure, expires, name, value = line.rstrip("\n").split("\t")
    cookies.setdefault(domain, {}).setdefault(path, {})[name] = {
        "value": value, "expires": int(expires) or None, "secure": secure == "TRUE", "port": None, "version": 0}
print(json.dumps(cookies))
EOF
}
# A curl cookie jar as a Cookie header, for sqlmap.
cookie_header() {
  wapiti_cookies "$1" | python3 -c 'import json, sys
print("; ".join(n + "=" + c["value"] for paths in json.load(sys.stdin).values() for cs in paths.values() for n, c in cs.items()))'
}
wapiti_cookies "$jar" >"$work/wapiti-cookies.json"

# Pages with their query parameters filled in, so both scanners see every filter and paging parameter.
targets=(
  "/t/scan/projects?archived=false&p=1"
  "/t/scan/members?q=scan&p=1"
  "/t/scan/invitations?p=1"
  "/t/scan/audit?type=project.created&actor=scan&p=1"
  "/t/scan/api-keys?p=1"
  "/t/scan/jobs?p=1"
  "/admin?q=scan&p=1"
  "/admin/audit?tenant=$tenant_id&type=project.created&actor=scan&p=1"
  "/admin/jobs?job=data-retention&outcome=Succeeded&workspace=scan&p=1"
  "/api/v1/projects?status=active&sort=name&page=1&pageSize=10"
  "/api/v1/members?q=scan&page=1&pageSize=10"
  "/api/v1/invitations?page=1&pageSize=10"
  "/api/v1/audit-events?action=project.created&actor=scan&since=2020-01-01T00:00:00Z&page=1&pageSize=10"
)
log_lines_before_scan=$(wc -l <"$work/app.log")

say "wapiti (crawl at most ${crawl_seconds}s, then at most ${module_seconds}s per module)"
starts=()
for target in "${targets[@]}"; do starts+=(-s "$base$target"); done
# The attack modules this wapiti has (timesql was blindsql before 3.1). Not run: the header, CSP and cookie-flag
# modules, which over plain http only report that this is not https.
modules=$(wapiti --list-modules 2>/dev/null | grep -oE '^\s+[a-z_]+' | tr -d ' \t' \
  | grep -xE 'sql|blindsql|timesql|xss|permanentxss|exec|file|redirect|crlf|ssrf|csrf' | paste -sd, -)
# wapiti 3.0.4 (Debian 12) compiles every -x pattern with a trailing (?ms), which Python 3.11 refuses: run it with
# that one function fixed when the installed one fails (with wapiti's own Python, named on its first line).
wapiti=(wapiti)
wapiti_python=$(head -1 "$(command -v wapiti)" | sed 's/^#! *//; s/ .*//')
if ! "$wapiti_python" -c 'from wapitiCore.net.crawler import wildcard_translate as w; w("x")' 2>/dev/null \
  && "$wapiti_python" -c 'import wapitiCore.net.crawler' 2>/dev/null; then
  wapiti=("$wapiti_python" -c 'import re, sys
from wapitiCore.net import crawler
crawler.wildcard_translate = lambda p: re.compile("(?ms)" + ".*".join(map(re.escape, p.split("*"))) + r"\Z")
from wapitiCore.main.wapiti import wapiti_main
sys.argv[0] = "wapiti"
sys.exit(wapiti_main())')
fi
# Not crawled, as its crawler submits every form it finds: signing out (it would end the scan's session), revoking
# (the scan's API key), and the operator's suspending, plan change and feature overrides of the workspace (its
# pages would show the suspended page, its API could answer 404 or 429). Not attacked: the anti-forgery token
# (a wrong one is a 400, by design).
wapiti_status=0
"${wapiti[@]}" -u "$base/" --scope folder "${starts[@]}" -c "$work/wapiti-cookies.json" -H "X-Api-Key: $key" \
  -x "$base/Identity/Account/Logout*" -x "$base/*handler=Revoke*" -x "$base/admin/tenants/*handler=Suspend*" \
  -x "$base/admin/tenants/*handler=Plan*" -x "$base/admin/tenants/*handler=Override*" \
  --skip __RequestVerificationToken -m "$modules" \
  --max-scan-time "$crawl_seconds" --max-attack-time "$module_seconds" -t 10 \
  --flush-session --store-session "$work/wapiti-session" --store-config "$work/wapiti-config" \
  -f json -o "$reports/wapiti.json" --no-bugreport -v 1 >"$reports/wapiti.log" 2>&1 || wapiti_status=$?

say "sqlmap (at most ${sqlmap_seconds}s)"
printf "$base%s\n" "${targets[@]}" >"$work/sqlmap-targets.txt"
sqlmap_common=(--batch --level 2 --risk 1 --dbms SQLite --output-dir "$reports/sqlmap" --flush-session
  --param-exclude '^(__RequestVerificationToken|\..*)$' --disable-coloring)
login_token=$(curl -fsS -c "$work/anonymous.txt" "$base/Identity/Account/Login" \
  | grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
anonymous_cookie=$(cookie_header "$work/anonymous.txt")
operator_cookie=$(cookie_header "$jar")
sqlmap_status=0
deadline=$((SECONDS + sqlmap_seconds))
# The login form, anonymous, with an address that is no account (so five tries cannot lock the operator out).
timeout --kill-after=10 "$sqlmap_seconds" sqlmap "${sqlmap_common[@]}" -u "$base/Identity/Account/Login" \
  --data "Input.Email=nobody%40scan.test&Input.Password=wrong-password-1&Input.RememberMe=false&__RequestVerificationToken=$login_token" \
  --cookie "$anonymous_cookie" >"$reports/sqlmap-login.log" 2>&1 || sqlmap_status=$?
if ((sqlmap_status == 0)); then
  timeout --kill-after=10 $((deadline > SECONDS ? deadline - SECONDS : 1)) sqlmap "${sqlmap_common[@]}" \
    -m "$work/sqlmap-targets.txt" --cookie "$operator_cookie" --headers "X-Api-Key: $key" \
    >"$reports/sqlmap-pages.log" 2>&1 || sqlmap_status=$?
fi

say "stopping the app"
kill -TERM "$app_pid"; wait "$app_pid" 2>/dev/null || true; app_pid=
cp "$work/app.log" "$reports/app.log"

# Verdicts: wapiti's JSON report, sqlmap's per-host logs (written only for injections it confirmed), and the
# app's own log from the first scanner request on: every 5xx it answered, every Error it logged. The summary
# groups alike findings (one line each, with a count and an example); findings.txt in the reports has them all.
python3 - "$reports" "$log_lines_before_scan" "$wapiti_status" "$sqlmap_status" <<'EOF'
import collections, glob, json, os, re, sys
reports, skip, wapiti_status, sqlmap_status = sys.argv[1:]
findings, warnings = [], []   # findings: (group, detail)
wapiti_log = open(os.path.join(reports, "wapiti.log"), errors="replace").read()
if wapiti_status != "0" or not os.path.exists(os.path.join(reports, "wapiti.json")):
    findings.append(("wapiti failed", f"exit {wapiti_status}; see wapiti.log:\n" + wapiti_log[-2000:]))
else:
    report = json.load(open(os.path.join(reports, "wapiti.json")))
    for kind in ("vulnerabilities", "anomalies"):
        for category, items in report.get(kind, {}).items():
            for item in items:
                findings.append((f"wapiti {category}: {item['method']} {item['path']} [{item.get('parameter') or '-'}]",
                                 f"{item['info']}\n{item.get('http_request', '')}"))
warnings += re.findall(r"Max (?:scan|attack) time was reached.*", wapiti_log)
if sqlmap_status == "124":
    warnings.append("sqlmap stopped at SQLMAP_SECONDS: the targets after it were not tested")
elif sqlmap_status != "0":
    findings.append(("sqlmap failed", f"exit {sqlmap_status}; see sqlmap-*.log"))
for log in glob.glob(os.path.join(reports, "sqlmap", "*", "log")):
    text = open(log).read().strip()
    if text:
        findings.append(("sqlmap injection", text))
statuses = collections.Counter()
for number, line in enumerate(open(os.path.join(reports, "app.log"), errors="replace")):
    if number < int(skip) or not line.startswith("{"):
        continue
    entry = json.loads(line)
    status = (entry.get("State") or {}).get("StatusCode")
    if isinstance(status, int):
        statuses[status] += 1
        if status >= 500:
            state = entry["State"]
            findings.append((f"app answered {status} to {state.get('Method')} {state.get('Path')}", entry["Message"]))
    if entry.get("LogLevel") in ("Error", "Critical"):
        exception = entry.get("Exception") or ""
        kind = exception.split(":")[0] if exception else entry["Message"][:80]
        path = next((scope["RequestPath"] for scope in entry.get("Scopes", []) if "RequestPath" in scope), "-")
        findings.append((f"app logged {entry['LogLevel']} {kind} ({entry['Category']}) on {path}",
                         (exception or entry["Message"]).replace("\n", " | ")))
with open(os.path.join(reports, "findings.txt"), "w") as out:
    for group, detail in findings:
        out.write(f"== {group}\n{detail}\n\n")
print("app answered: " + ", ".join(f"{count} x {status}" for status, count in sorted(statuses.items())))
for warning in warnings:
    print("incomplete: " + warning)
groups = collections.Counter(group for group, _ in findings)
for group, count in groups.items():
    example = next(detail for g, detail in findings if g == group).splitlines()[0][:240]
    print(f"FINDING {count} x {group}\n    e.g. {example}")
print(f"security-scan: {len(findings)} finding(s) in {len(groups)} group(s)" if findings else "security-scan: no findings")
sys.exit(1 if findings else 0)
EOF
