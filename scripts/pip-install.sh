#!/usr/bin/env bash
# Install packages into the venv: with uv when the venv has it, else (or when uv fails) pip.
#
#   scripts/pip-install.sh VENV PIP-INSTALL-ARGUMENTS...
#   scripts/pip-install.sh VENV --deps-of pyproject.toml EXTRA...   a project's packages, not itself
#
# uv (from PyPI, put in the venv by `make venv`) installs the test extra from a warm cache in
# about 10 s where pip takes about 65 s, most of a fresh clone's `make test` before pytest.
# uv compiles the packages' bytecode as pip does (--compile-bytecode): without it every process
# of the suite (kernels, Dask workers, the lab, the CLI) compiled TensorFlow's and pandas' modules
# again on import where PYTHONDONTWRITEBYTECODE is set, about 5 CPU-s each.
# uv leaves out what scripts/uv-overrides.txt names (a package whose import alone cost every
# kernel and server ~0.85 CPU-s); pip, the fallback, does not.
# uv reads no pip.conf: where packages come from another index than PyPI, PIP_INDEX_URL is
# passed on, and a failed uv install falls back to pip, which reads that configuration.
set -uo pipefail
venv="$1"
shift
if [ "${1:-}" = "--deps-of" ]; then
    project="$2"
    shift 2
    if [ ! -x "$venv/bin/uv" ]; then
        echo "pip-install.sh: no uv; the project's packages install with the project" >&2
        exit 0
    fi
    extras=()
    for extra in "$@"; do extras+=(--extra "$extra"); done
    set -- -r "$project" "${extras[@]}"
fi
if [ -x "$venv/bin/uv" ]; then
    if [ -n "${PIP_INDEX_URL:-}" ] && [ -z "${UV_DEFAULT_INDEX:-}" ]; then
        export UV_DEFAULT_INDEX="$PIP_INDEX_URL"
    fi
    overrides="$(dirname "$0")/uv-overrides.txt"  # packages left out: see that file
    if "$venv/bin/uv" pip install --quiet --compile-bytecode --overrides "$overrides" \
        --python "$venv/bin/python" "$@"; then
        exit 0
    fi
    if [ -n "${project:-}" ]; then
        echo "pip-install.sh: uv failed; the project's packages install with the project" >&2
        exit 0
    fi
    echo "pip-install.sh: uv failed; installing with pip instead" >&2
fi
exec "$venv/bin/pip" install -q "$@"
