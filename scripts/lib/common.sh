# Shared helpers for scripts/test, scripts/serve and scripts/bench/engine.
#
# Source it after `set -euo pipefail`:
#   . "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
#
# It defines functions only (plus STEADY_ROOT, the repository root); it does
# not change directory or run anything by itself.
# shellcheck shell=bash

# The repository root: two levels above this file (scripts/lib/common.sh).
STEADY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"

# Every build and test dependency, as Debian 12 (bookworm) packages.
STEADY_PACKAGES=(
  cmake g++ make pkg-config
  libre2-dev nlohmann-json3-dev libsqlite3-dev catch2 libcpp-httplib-dev libssl-dev
  sqlite3 curl openssl
  python3
  # The PostgreSQL store: its client library, and a server for its tests
  # (a private cluster in a temp folder, started and stopped by the tests).
  libpq-dev postgresql
  # The web widget's browser tests (tests/browser/) drive Debian's Chromium.
  chromium
  # scripts/fuzz: clang and its libFuzzer, ASan and UBSan runtimes.
  clang libclang-rt-14-dev
  # The benchmarks' smoke test (scripts/bench/run --smoke): wrk drives the
  # server; RiveScript, the peer engine, runs on Node.js.
  wrk
)

# section TITLE: a header that stands out in a long CI log.
section() {
  printf '\n==> %s\n' "$*"
}

# die CODE MESSAGE: one line on stderr, then exit with CODE.
die() {
  local code="$1"
  shift
  printf '%s: %s\n' "$(basename "$0")" "$*" >&2
  exit "$code"
}

# abs_path PATH: PATH made absolute against the current directory (the
# directory need not exist yet).
abs_path() {
  case "$1" in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s/%s\n' "$(pwd -P)" "$1" ;;
  esac
}

# missing_packages: prints the packages of STEADY_PACKAGES that are not
# installed, one a line. Asks dpkg only, so it never touches the network.
missing_packages() {
  local pkg status
  for pkg in "${STEADY_PACKAGES[@]}"; do
    status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
    if [[ "$status" != "install ok installed" ]]; then
      printf '%s\n' "$pkg"
    fi
  done
  # Node.js and npm run the browser tests. Whatever node and npm are on the
  # PATH will do (a machine may have a newer Node.js than Debian's); Debian's
  # packages are installed only when there are none.
  command -v node >/dev/null 2>&1 || printf '%s\n' nodejs
  command -v npm >/dev/null 2>&1 || printf '%s\n' npm
}

# ensure_packages: installs whatever is missing with apt-get. A machine that
# has everything does no network at all; `apt-get update` runs only when
# something has to be installed. Not root and something missing: says what
# and exits 2.
ensure_packages() {
  section "Dependencies"
  if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "dpkg-query not found: not a Debian system, so not installing anything."
    echo "Make sure these (or their equivalents) are installed: ${STEADY_PACKAGES[*]}"
    return 0
  fi
  local missing=()
  mapfile -t missing < <(missing_packages)
  if ((${#missing[@]} == 0)); then
    echo "All ${#STEADY_PACKAGES[@]} packages are installed."
    return 0
  fi
  if [[ "$(id -u)" -ne 0 ]]; then
    printf '%s: missing packages: %s\n' "$(basename "$0")" "${missing[*]}" >&2
    printf 'Install them as root with:\n  apt-get update && apt-get install -y %s\n' \
      "${missing[*]}" >&2
    exit 2
  fi
  echo "Installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update </dev/null
  apt-get install -y --no-install-recommends "${missing[@]}" </dev/null
  mapfile -t missing < <(missing_packages)
  if ((${#missing[@]} != 0)); then
    die 1 "still missing after apt-get install: ${missing[*]}"
  fi
}

# Extra arguments for cmake's configure step (scripts/test --sanitize sets
# -DSTEADY_SANITIZE=...). Empty by default.
STEADY_CMAKE_ARGS=()

# configure_and_build BUILD_DIR [TARGET...]: configures the project in
# BUILD_DIR (RelWithDebInfo, plus STEADY_CMAKE_ARGS) and builds the named
# targets, or everything, with all cores (or $STEADY_BUILD_JOBS of them).
# Run from the repository root.
configure_and_build() {
  local build_dir="$1"
  shift
  section "Configure (${build_dir})"
  cmake -S "$STEADY_ROOT" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "${STEADY_CMAKE_ARGS[@]}"

  local jobs
  jobs="${STEADY_BUILD_JOBS:-$(nproc 2>/dev/null || echo 2)}"
  local target_args=()
  local target
  for target in "$@"; do
    target_args+=(--target "$target")
  done
  section "Build (${*:-all targets}, ${jobs} jobs)"
  cmake --build "$build_dir" -j "$jobs" "${target_args[@]}"
}

# bench_build BUILD_DIR TARGET...: what the benchmarks build. With
# STEADY_BENCH_PREBUILT=1 (set by the smoke test, which runs inside a build
# that already made them) it only checks that the targets are there.
bench_build() {
  local build_dir="$1"
  shift
  if [[ "${STEADY_BENCH_PREBUILT:-0}" == 1 ]]; then
    local target
    for target in "$@"; do
      [[ -x "$build_dir/$target" ]] || die 2 "no $build_dir/$target (STEADY_BENCH_PREBUILT=1)"
    done
    return 0
  fi
  configure_and_build "$build_dir" "$@"
}
