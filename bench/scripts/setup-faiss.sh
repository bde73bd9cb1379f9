#!/bin/sh
# Installs native FAISS (Debian's python3-faiss, 1.7.3) as an optional benchmark peer for
# bench/peers/faiss_ivf.py. Idempotent, and never fails the caller: without FAISS the IVF benchmark
# simply runs annkit alone and says so.
PY=/usr/bin/python3

have_faiss() { "$PY" -c 'import faiss, numpy' >/dev/null 2>&1; }
# Debian's reference BLAS makes FAISS's k-means (training) very slow; OpenBLAS is a drop-in replacement.
# Search timings (one query at a time) do not go through BLAS.
have_openblas() { dpkg -s libopenblas0-pthread >/dev/null 2>&1; }

if have_faiss && have_openblas; then
  echo "setup-faiss: FAISS $("$PY" -c 'import faiss; print(faiss.__version__)') already available for $PY"
  exit 0
fi

SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "setup-faiss: not root and no sudo; install python3-faiss yourself (apt-get install -y python3-faiss). Skipping."
    exit 0
  fi
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-faiss: apt-get not found (not Debian/Ubuntu); FAISS peer unavailable. Skipping."
  exit 0
fi

echo "setup-faiss: installing python3-faiss with apt-get"
$SUDO apt-get update -qq || echo "setup-faiss: apt-get update failed; trying the install anyway"
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libopenblas0-pthread || echo "setup-faiss: OpenBLAS not installed (training will be slow; optional)"
if DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-faiss python3-numpy; then
  if have_faiss; then
    echo "setup-faiss: FAISS $("$PY" -c 'import faiss; print(faiss.__version__)') ready"
    exit 0
  fi
fi
echo "setup-faiss: python3-faiss could not be installed; the IVF benchmark will run without the FAISS peer."
exit 0
