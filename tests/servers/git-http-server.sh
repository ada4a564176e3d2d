#!/bin/bash
# A git smart-HTTP server with basic auth on 127.0.0.1, for tests
# (docs ENV-RECIPES §5): lighttpd runs git-http-backend through mod_cgi.
#
#   git-http-server.sh start DIR USER TOKEN REPO…   prints the port on stdout
#   git-http-server.sh stop DIR
#
# DIR gets the config, the users file, logs and repos/REPO.git (bare, on
# main, push enabled). The port is random (20000-39999), retried 5 times.
set -eu

cmd=${1:-}
dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: $0 start DIR USER TOKEN REPO… | stop DIR" >&2
  exit 2
fi

LIGHTTPD=$(command -v lighttpd || echo /usr/sbin/lighttpd)
BACKEND=$(git --exec-path)/git-http-backend

case "$cmd" in
  start)
    user=$3 token=$4
    shift 4
    mkdir -p "$dir/repos" "$dir/www"
    printf '%s:%s\n' "$user" "$token" > "$dir/users"
    chmod 600 "$dir/users"
    for repo in "$@"; do
      git init -q --bare --initial-branch=main "$dir/repos/$repo.git"
      git -C "$dir/repos/$repo.git" config http.receivepack true
    done
    for _ in 1 2 3 4 5; do
      port=$((20000 + RANDOM % 20000))
      cat > "$dir/lighttpd.conf" <<CONF
var.base = "$dir"
server.modules = ( "mod_alias", "mod_auth", "mod_authn_file", "mod_cgi", "mod_setenv", "mod_accesslog" )
server.bind          = "127.0.0.1"
server.port          = $port
server.document-root = base + "/www"
server.pid-file      = base + "/lighttpd.pid"
server.errorlog      = base + "/error.log"
accesslog.filename   = base + "/access.log"
server.breakagelog   = base + "/cgi-stderr.log"
server.feature-flags += ( "auth.delay-invalid-creds" => "disable" )
alias.url = ( "/git/" => "$BACKEND/" )
\$HTTP["url"] =~ "^/git/" {
  cgi.assign = ( "" => "" )
  setenv.add-environment = ( "GIT_PROJECT_ROOT" => base + "/repos", "GIT_HTTP_EXPORT_ALL" => "" )
  auth.backend = "plain"
  auth.backend.plain.userfile = base + "/users"
  auth.require = ( "" => ( "method" => "basic", "realm" => "git", "require" => "valid-user" ) )
}
CONF
      if "$LIGHTTPD" -f "$dir/lighttpd.conf" 2>>"$dir/start.log"; then
        for _ in $(seq 100); do
          if [ -s "$dir/lighttpd.pid" ] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            exit 0
          fi
          sleep 0.02
        done
        [ -s "$dir/lighttpd.pid" ] && kill "$(cat "$dir/lighttpd.pid")" 2>/dev/null || true
      fi
    done
    echo "git-http-server.sh: lighttpd did not start; see $dir/start.log and $dir/error.log" >&2
    exit 1
    ;;
  stop)
    if [ -s "$dir/lighttpd.pid" ]; then
      kill "$(cat "$dir/lighttpd.pid")" 2>/dev/null || true
    fi
    ;;
  *)
    echo "usage: $0 start DIR USER TOKEN REPO… | stop DIR" >&2
    exit 2
    ;;
esac
