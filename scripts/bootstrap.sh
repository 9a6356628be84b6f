# Kefu environment bootstrap. Source this file, then call `kefu_bootstrap`.
#
# It sets up two virtual environments from the committed lock files and exports their
# interpreters as KEFU_RASA_PYTHON (Python 3.10, rasa==3.6.21) and KEFU_PY311 (Python 3.11:
# actions, retrieval, gateway, tests). Environments live in the cache, keyed by the lock file's
# hash, so a fresh clone reuses them and a second run takes a second or two.
#
# Why two: Rasa Open Source 3.6.21 needs Python < 3.11, and on 3.11 `pip install rasa` silently
# resolves to Rasa 1.10. The retrieval side wants 3.11 (the CPU torch wheel is for 3.11 only).

KEFU_CACHE="${KEFU_CACHE:-$HOME/.cache/kefu}"

kefu_log() { printf '[kefu setup] %s\n' "$*" >&2; }
kefu_die() { printf '[kefu setup] error: %s\n' "$*" >&2; return 1; }

# Prints the first interpreter that really is Python MAJOR.MINOR, from $1 (env override),
# PATH, then pyenv's versions folder.
kefu_find_python() {
  local wanted="$1" override="$2" candidate
  local -a candidates=()
  [ -n "$override" ] && candidates+=("$override")
  candidates+=("python$wanted")
  for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$wanted".*/bin/python; do
    [ -x "$candidate" ] && candidates+=("$candidate")
  done
  for candidate in "${candidates[@]}"; do
    if "$candidate" -c "import sys; sys.exit(0 if '%d.%d' % sys.version_info[:2] == '$wanted' else 1)" >/dev/null 2>&1; then
      "$candidate" -c 'import sys; print(sys.executable)'
      return 0
    fi
  done
  return 1
}

# kefu_venv NAME PYTHON LOCKFILE -> prints the ready venv's python. Rebuilds when the lock changes.
kefu_venv() {
  local name="$1" python="$2" lock="$3" digest dir
  digest=$( (cat "$lock"; "$python" -c 'import sys; print(sys.version)') | sha256sum | cut -c1-12)
  dir="$KEFU_CACHE/venvs/$name-$digest"
  if [ ! -f "$dir/.kefu-complete" ]; then
    kefu_log "creating $name environment in $dir (first run only; several minutes)"
    rm -rf "$dir"
    mkdir -p "$KEFU_CACHE/venvs"
    "$python" -m venv "$dir" || { kefu_die "could not create a virtual environment with $python"; return 1; }
    "$dir/bin/python" -m pip install --quiet --no-deps -r "$lock" >&2 ||
      { kefu_die "installing $lock failed (see pip's message above)"; return 1; }
    "$dir/bin/python" -m pip check >&2 || kefu_log "warning: pip check reports conflicts in $name (listed above)"
    touch "$dir/.kefu-complete"
  fi
  printf '%s\n' "$dir/bin/python"
}

kefu_bootstrap() {
  local root py310 py311
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  py310=$(kefu_find_python 3.10 "${KEFU_PYTHON310:-}") || {
    kefu_die "Rasa 3.6.21 needs Python 3.10 and none was found. Install it (pyenv install 3.10.13, or apt-get install python3.10 python3.10-venv) or set KEFU_PYTHON310=/path/to/python3.10."
    return 1
  }
  py311=$(kefu_find_python 3.11 "${KEFU_PYTHON311:-}") || {
    kefu_die "Kefu's actions and retrieval need Python 3.11 and none was found. Install it (pyenv install 3.11.7) or set KEFU_PYTHON311=/path/to/python3.11."
    return 1
  }
  KEFU_RASA_PYTHON=$(kefu_venv rasa310 "$py310" "$root/requirements/rasa310.lock") || return 1
  KEFU_PY311=$(kefu_venv kefu311 "$py311" "$root/requirements/kefu311.lock") || return 1
  "$KEFU_RASA_PYTHON" -c "import rasa, sys; sys.exit(0 if rasa.__version__ == '3.6.21' else 1)" ||
    { kefu_die "the Rasa environment does not hold rasa 3.6.21; delete $(dirname "$(dirname "$KEFU_RASA_PYTHON")") and rerun"; return 1; }
  export KEFU_RASA_PYTHON KEFU_PY311 KEFU_CACHE
  (cd "$root" && "$KEFU_PY311" -m models.e5_build --quiet >/dev/null) ||
    { kefu_die "building the offline embedding model failed (see above)"; return 1; }
}
