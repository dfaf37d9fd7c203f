# Sourced by bindings-python/test.sh and scripts/bench.sh (not run on its own).
#
#   ensure_venv VENV PYTHON MINOR WHAT
#
# Makes sure VENV is a virtual environment with pip, made with PYTHON, which must be Python
# 3.MINOR or later (WHAT names what needs it, for the error). A VENV that already has pip is
# kept. Returns non-zero when PYTHON is too old.
ensure_venv() {
    local venv=$1 python=$2 minor=$3 what=$4
    if ! "$python" -c "import sys; sys.exit(sys.version_info < (3, $minor))"; then
        echo "error: $python is $("$python" -V 2>&1); $what needs Python 3.$minor or later (set PYTHON=...)" >&2
        return 1
    fi
    if ! "$venv/bin/python" -c 'import pip' >/dev/null 2>&1; then
        rm -rf "$venv"
        if ! "$python" -m venv "$venv" 2>/dev/null; then
            # Debian's python3 without python3-venv has no ensurepip: virtualenv brings its own pip.
            rm -rf "$venv"
            "$python" -m pip install --quiet --user virtualenv
            "$python" -m virtualenv --quiet "$venv"
        fi
    fi
}
