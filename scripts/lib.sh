# Shared helpers for scripts/run, scripts/test and scripts/bench. Sourced, not run.
# Installs pinned build tools when missing (crates.io, npm and Debian only) and
# prepares the database: $DATABASE_URL when set, else a private cluster in .data/.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Builds go outside the clone, so a fresh clone reuses earlier work on this machine.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/cellstack/target}"
TOOLS_DIR="${CELLSTACK_TOOLS_DIR:-$HOME/.cache/cellstack/tools}"
export PATH="$HOME/.cargo/bin:$TOOLS_DIR/node_modules/.bin:$PATH"

CARGO_LEPTOS_VERSION="0.3.4"
BINARYEN_VERSION="132.0.0"

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
    log "installing Debian packages: $*"
    as_root apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

wasm_bindgen_version() {
    awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_build_tools() {
    command -v cargo >/dev/null || die "cargo not found: install Rust with rustup first"
    if ! rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$'; then
        log "adding the wasm32-unknown-unknown target"
        rustup target add wasm32-unknown-unknown
    fi
    if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
        log "installing cargo-leptos $CARGO_LEPTOS_VERSION (once; about 20 minutes)"
        cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
    fi
    local wbv
    wbv="$(wasm_bindgen_version)"
    if ! wasm-bindgen --version 2>/dev/null | grep -q "$wbv"; then
        log "installing wasm-bindgen-cli $wbv (matches Cargo.lock; a few minutes)"
        # Not --locked: its lockfile pins a crate version the registry no longer serves.
        cargo install wasm-bindgen-cli --version "$wbv" --force
    fi
    command -v node >/dev/null || apt_install nodejs npm
    if ! wasm-opt --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
        log "installing wasm-opt (npm binaryen $BINARYEN_VERSION)"
        mkdir -p "$TOOLS_DIR"
        npm install --prefix "$TOOLS_DIR" --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION" >/dev/null
    fi
}

build_release() {
    log "building (release)"
    cargo leptos build --release
}

server_bin() { echo "$CARGO_TARGET_DIR/release/cellstack"; }

# --- PostgreSQL -----------------------------------------------------------------

PG_HOME="$ROOT/.data/postgres"

find_pg_bin() {
    local dir
    if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
        dirname "$(command -v pg_ctl)"; return
    fi
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && { echo "$dir"; return; }
    done
    return 1
}

# PostgreSQL refuses to run as root; a private cluster then runs as this user.
pg_user() {
    if [ "$(id -u)" != 0 ]; then id -un; elif id postgres >/dev/null 2>&1; then echo postgres; else echo nobody; fi
}

as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u "$(pg_user)" -- "$@"; else "$@"; fi
}

free_port() {
    local p
    for p in $(seq "${1:-55432}" 65000); do
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
    done
    return 1
}

# Sets DATABASE_URL (and PG_PRIVATE=1 when this call started the private cluster).
ensure_database() {
    PG_PRIVATE=0
    if [ -n "${DATABASE_URL:-}" ]; then
        return
    fi
    local bin
    bin="$(find_pg_bin)" || die "PostgreSQL is not installed: install it (Debian: apt-get install postgresql) or set DATABASE_URL"
    mkdir -p "$PG_HOME"
    if [ "$(id -u)" = 0 ]; then chown "$(pg_user)" "$PG_HOME"; fi
    if [ ! -f "$PG_HOME/data/PG_VERSION" ]; then
        log "creating a private PostgreSQL cluster in .data/postgres"
        as_pg "$bin/initdb" -D "$PG_HOME/data" -U postgres -A trust -E UTF8 --no-sync >"$PG_HOME/initdb.log" 2>&1 \
            || { cat "$PG_HOME/initdb.log" >&2; die "initdb failed"; }
    fi
    local port fast=""
    # Tests and benchmarks (PG_FAST=1) trade durability for speed; the app's data does not.
    [ "${PG_FAST:-0}" = 1 ] && fast="-c fsync=off"
    if ! as_pg "$bin/pg_ctl" -D "$PG_HOME/data" status >/dev/null 2>&1; then
        port="$(free_port "$(cat "$PG_HOME/port" 2>/dev/null || echo 55432)")"
        echo "$port" >"$PG_HOME/port"
        log "starting the private PostgreSQL on 127.0.0.1:$port"
        as_pg "$bin/pg_ctl" -D "$PG_HOME/data" -l "$PG_HOME/server.log" -w -t 60 \
            -o "-p $port -k $PG_HOME -c listen_addresses=127.0.0.1 -c max_connections=300 $fast" start >/dev/null \
            || { tail -20 "$PG_HOME/server.log" >&2; die "could not start PostgreSQL"; }
        PG_PRIVATE=1
    fi
    port="$(cat "$PG_HOME/port")"
    PG_BIN="$bin"
    if ! as_pg "$(psql_bin)" -h "$PG_HOME" -p "$port" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='cellstack'" | grep -q 1; then
        as_pg "$(psql_bin)" -h "$PG_HOME" -p "$port" -U postgres -d postgres -qc "CREATE DATABASE cellstack" >/dev/null
    fi
    export DATABASE_URL="postgres://postgres@127.0.0.1:$port/cellstack"
}

# Stops the private cluster whoever started it (`scripts/run --stop-db`).
stop_private_database_now() {
    local bin
    bin="$(find_pg_bin)" || return 0
    if [ -f "$PG_HOME/data/PG_VERSION" ] && as_pg "$bin/pg_ctl" -D "$PG_HOME/data" status >/dev/null 2>&1; then
        log "stopping the private PostgreSQL"
        as_pg "$bin/pg_ctl" -D "$PG_HOME/data" -m fast stop >/dev/null
    else
        log "the private PostgreSQL is not running"
    fi
}

stop_private_database() {
    if [ "${PG_PRIVATE:-0}" = 1 ]; then
        log "stopping the private PostgreSQL"
        as_pg "$PG_BIN/pg_ctl" -D "$PG_HOME/data" -m fast stop >/dev/null 2>&1 || true
    fi
}

# Runs SQL against the server of $DATABASE_URL, on its maintenance database.
admin_sql() {
    local base="${DATABASE_URL%/*}"
    psql "$base/postgres" -v ON_ERROR_STOP=1 -qtAc "$1"
}

# --- end2end --------------------------------------------------------------------

ensure_e2e_tools() {
    [ -x /usr/bin/chromium ] || apt_install chromium
    if [ ! -d "$ROOT/end2end/node_modules/playwright-core" ]; then
        log "installing playwright-core (npm; it never downloads a browser)"
        (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
    fi
}

psql_bin() { if [ -x "${PG_BIN:-/nonexistent}/psql" ]; then echo "$PG_BIN/psql"; else command -v psql || die "psql not found (Debian: apt-get install postgresql-client)"; fi; }

# Recreates database $1 on the server of $DATABASE_URL; prints its URL.
fresh_database() {
    local base="${DATABASE_URL%/*}" name="$1"
    "$(psql_bin)" "$base/postgres" -v ON_ERROR_STOP=1 -qtAc "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null
    "$(psql_bin)" "$base/postgres" -v ON_ERROR_STOP=1 -qtAc "CREATE DATABASE $name" >/dev/null
    echo "$base/$name"
}

# Starts the release server in the background on a free port, with any extra
# `NAME=value` settings after the first two arguments; sets BASE_URL and adds the
# process to SERVER_PIDS (stop_server stops them all).
SERVER_PIDS=()
start_server() {
    local db_url="$1" log_file="$2" port pid
    shift 2
    port="$(free_port 38000)"
    BASE_URL="http://127.0.0.1:$port"
    env "$@" DATABASE_URL="$db_url" CELLSTACK_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT="$ROOT/target/site" \
        RUST_LOG="${RUST_LOG:-info,sqlx=warn}" "$(server_bin)" >"$log_file" 2>&1 &
    pid=$!
    SERVER_PIDS+=("$pid")
    local i
    for i in $(seq 1 100); do
        if curl -fsS "$BASE_URL/healthz" >/dev/null 2>&1; then return 0; fi
        kill -0 "$pid" 2>/dev/null || { cat "$log_file" >&2; die "the server exited during start-up"; }
        sleep 0.2
    done
    cat "$log_file" >&2
    die "the server did not answer /healthz within 20 s"
}

# Starts `cellstack fake-providers` on a free port; sets FAKE_LLM_URL and FAKE_EXA_URL.
start_fake_providers() {
    local log_file="$1" port pid
    port="$(free_port 39000)"
    "$(server_bin)" fake-providers --port "$port" --llm-latency-ms 20 --search-latency-ms 10 >"$log_file" 2>&1 &
    pid=$!
    SERVER_PIDS+=("$pid")
    FAKE_LLM_URL="http://127.0.0.1:$port/v1"
    FAKE_EXA_URL="http://127.0.0.1:$((port + 1))"
    local i
    for i in $(seq 1 50); do
        if curl -fsS -H 'Authorization: Bearer x' "$FAKE_LLM_URL/models" >/dev/null 2>&1; then return 0; fi
        sleep 0.2
    done
    cat "$log_file" >&2
    die "the fake providers did not start"
}

stop_server() {
    local pid
    for pid in "${SERVER_PIDS[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        fi
    done
    SERVER_PIDS=()
}

# Runs the truth audit (server/tests/truth_audit.sql) on database $1; fails on any violation.
truth_audit() {
    local out
    out="$("$(psql_bin)" "$1" -v ON_ERROR_STOP=1 -qtA -F ': ' -f "$ROOT/server/tests/truth_audit.sql")"
    if [ -n "$out" ]; then
        printf '%s\n' "$out" >&2
        die "truth audit failed on ${1##*/}"
    fi
    log "truth audit of ${1##*/}: no violations"
}
