#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
#
# Production smoke test: deploy a fresh copy of this checkout as README "Production"
# says, against the PostgreSQL in DATABASE_URL, and check that it serves.
#
#   scripts/with-postgres.sh scripts/production-smoke.sh     (what `make test` runs)
#
# In a temporary copy of the tracked (and untracked, not ignored) files, with
# DJANGO_ENV=production: migrate, compilemessages, collectstatic, check --deploy
# (warnings fail), then gunicorn on a free loopback port. It expects:
#   - /healthz answers 200 over plain HTTP (load balancers, uptime checks);
#   - any other page over plain HTTP is redirected to HTTPS (301);
#   - with X-Forwarded-Proto: https (as the reverse proxy sets it) the login page, the
#     public pages, a hashed static file and the API (token sign-in, then a list) answer
#     200, with HSTS and no-sniff headers;
#   - gunicorn connects as an application role (grant_app_role) that can work but cannot
#     change audit events.
# Always stops gunicorn and removes the copy. Exits non-zero on the first failure.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
GUNICORN="$(dirname "$PYTHON")/gunicorn"
: "${DATABASE_URL:?run me through scripts/with-postgres.sh (DATABASE_URL is unset)}"
case "$DATABASE_URL" in postgres*) ;; *) echo "DATABASE_URL is not PostgreSQL" >&2; exit 1 ;; esac

WORK="$(mktemp -d -t mcsc-prod-XXXXXX)"
PID=""
cleanup() {
  if [[ -n "$PID" ]] && kill -0 "$PID" 2>/dev/null; then
    kill "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "production smoke test FAILED: $*" >&2; [[ -f "$WORK/gunicorn.log" ]] && tail -40 "$WORK/gunicorn.log" >&2; exit 1; }
step() { echo "--> $*"; }

step "fresh copy of the checkout in $WORK/app"
mkdir "$WORK/app"
(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard \
  | while IFS= read -r -d '' f; do [[ -e "$f" ]] && printf '%s\0' "$f"; done \
  | xargs -0 cp --parents -t "$WORK/app")
cd "$WORK/app"
[[ ! -e staticfiles && -z "$(find locale -name '*.mo' -print -quit)" ]] || fail "the copy is not fresh"

PORT="$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export DJANGO_ENV=production
export SECRET_KEY="$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(50))')"
export ALLOWED_HOSTS="mcsc.example.org,127.0.0.1,localhost"
export CSRF_TRUSTED_ORIGINS="https://mcsc.example.org"
export EMAIL_URL="console://"
export MEDIA_ROOT="$WORK/media"
export LOG_LEVEL=WARNING
unset DEBUG

step "manage.py migrate"
"$PYTHON" manage.py migrate --noinput -v 0
step "manage.py compilemessages"
"$PYTHON" manage.py compilemessages --ignore=.venv -v 0
step "manage.py collectstatic"
"$PYTHON" manage.py collectstatic --noinput -v 0
[[ -f staticfiles/staticfiles.json ]] || fail "collectstatic wrote no manifest"
step "manage.py check --deploy (warnings fail)"
"$PYTHON" manage.py check --deploy --fail-level WARNING

# README: migrations run as the owner; the app connects as a role that cannot change the
# audit trail (manage.py grant_app_role).
step "an application role with the rights grant_app_role gives"
"$PYTHON" manage.py shell -v 0 -c '
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("CREATE ROLE mcsc_smoke_app LOGIN")
'
"$PYTHON" manage.py grant_app_role mcsc_smoke_app
APP_DATABASE_URL="$("$PYTHON" -c '
import sys
from urllib.parse import urlsplit, urlunsplit
url = urlsplit(sys.argv[1])
host = url.netloc.rsplit("@", 1)[-1]
print(urlunsplit(url._replace(netloc="mcsc_smoke_app@" + host)))
' "$DATABASE_URL")"

step "a secretary to sign in through the API"
PASSWORD="$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(18))')"
SMOKE_PASSWORD="$PASSWORD" "$PYTHON" manage.py shell -v 0 -c '
import os
from django.contrib.auth import get_user_model
from mcsc.models import Municipality, Role
from mcsc.services import role_assign
user = get_user_model().objects.create_user("smoke-secretary", password=os.environ["SMOKE_PASSWORD"])
role_assign(user=user, role=Role.SECRETARY, municipality=Municipality.objects.get(slug="prizren"))
'

step "gunicorn on 127.0.0.1:$PORT, connected as the application role"
DATABASE_URL="$APP_DATABASE_URL" "$GUNICORN" config.wsgi --bind "127.0.0.1:$PORT" --workers 2 --timeout 60 \
  --access-logfile - >"$WORK/gunicorn.log" 2>&1 &
PID=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do
  curl -s -o /dev/null "$BASE/healthz" && break
  kill -0 "$PID" 2>/dev/null || fail "gunicorn exited"
  sleep 0.2
done

# status URL [curl options...]: the HTTP status of one request.
status() { local url="$1"; shift; curl -s -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' "$@" "$BASE$url"; }
HTTPS=(-H "X-Forwarded-Proto: https" -H "Host: mcsc.example.org")
expect() {
  local want="$1" url="$2"; shift 2
  local got; got="$(status "$url" "$@")"
  [[ "$got" == "$want" ]] || fail "$url answered $got, expected $want"
  echo "    $got $url"
}

expect 200 /healthz
grep -q '"ok"' "$WORK/body" || fail "/healthz body: $(cat "$WORK/body")"
expect 301 /accounts/login/
grep -qi '^location: https://' "$WORK/headers" || fail "plain HTTP is not redirected to HTTPS"
expect 200 /accounts/login/ "${HTTPS[@]}"
grep -qi '^strict-transport-security:' "$WORK/headers" || fail "no HSTS header"
grep -qi '^x-content-type-options: nosniff' "$WORK/headers" || fail "no nosniff header"
css="$(grep -o '/static/css/app\.[0-9a-f]*\.css' "$WORK/body" | head -n 1)"
[[ -n "$css" ]] || fail "the login page links no hashed stylesheet"
expect 200 "$css" "${HTTPS[@]}"
expect 200 /public/ "${HTTPS[@]}"
expect 200 /public/prizren/ "${HTTPS[@]}"
expect 302 /cases/ "${HTTPS[@]}"
expect 200 /api/v1/auth/token/ "${HTTPS[@]}" -X POST -H "Content-Type: application/json" \
  --data "{\"username\": \"smoke-secretary\", \"password\": \"$PASSWORD\"}"
TOKEN="$("$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))["token"])' "$WORK/body")"
expect 200 /api/v1/cases/ "${HTTPS[@]}" -H "Authorization: Token $TOKEN"
expect 200 /api/v1/municipalities/ "${HTTPS[@]}" -H "Authorization: Token $TOKEN"
"$PYTHON" -c 'import json, sys; assert len(json.load(open(sys.argv[1]))) == 38' "$WORK/body" \
  || fail "/api/v1/municipalities/ does not list 38 municipalities"
expect 401 /api/v1/cases/ "${HTTPS[@]}"
if grep -q ' 500 ' "$WORK/gunicorn.log"; then fail "a request answered 500"; fi
step "the application role cannot change the audit trail"
if DATABASE_URL="$APP_DATABASE_URL" "$PYTHON" manage.py shell -v 0 -c '
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("UPDATE casefiles_auditevent SET payload = payload")
' 2>/dev/null; then fail "the application role could update audit events"; fi

echo "production smoke test passed"
