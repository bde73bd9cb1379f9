#!/usr/bin/python3
"""Native FAISS peer for annkit's IVF benchmark (bench/src/runs/ivf.ts).

Builds IVF indexes with faiss.index_factory ("IVF<nlist>,Flat", "IVF<nlist>,SQ8", "IVF<nlist>,PQ<m>"),
single-threaded, on the same fvecs data, training rows and ground truth as the annkit run, then times
queries one at a time for each nprobe (and refine factor, for PQ) and prints one JSON object on stdout.

Cosine datasets are normalised and searched with inner product (the same ranking as 1 - cos).
Usage: faiss_ivf.py --base F --queries F --gt F --metric l2|cosine|ip --nb N --nq Q --ntrain T
                    --spec IVF1024,Flat --nprobe 1,2,4 [--rerank 0,4] [--k 10] [--rounds 3]
QPS is queries per CPU second of the best round (wallQps beside it), like the annkit side.
"""
import argparse
import json
import os
import sys
import time

# Single thread everywhere, BLAS included (it must be set before numpy/faiss load their BLAS).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np

try:
    import faiss
except ImportError:  # the TS side treats a missing peer as "not available"
    print(json.dumps({"error": "faiss not importable: run bench/scripts/setup-faiss.sh"}))
    sys.exit(0)


def read_vecs(path, dtype, limit):
    raw = np.fromfile(path, dtype=np.int32)
    dim = int(raw[0])
    rows = raw.reshape(-1, dim + 1)[:limit]
    return np.ascontiguousarray(rows[:, 1:]).view(dtype).copy() if dtype != np.int32 else np.ascontiguousarray(rows[:, 1:])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--gt", required=True, help="ivecs ground truth for exactly this base slice")
    ap.add_argument("--metric", required=True, choices=["l2", "cosine", "ip"])
    ap.add_argument("--nb", type=int, required=True)
    ap.add_argument("--nq", type=int, required=True)
    ap.add_argument("--ntrain", type=int, required=True)
    ap.add_argument("--spec", action="append", required=True)
    ap.add_argument("--nprobe", required=True)
    ap.add_argument("--rerank", default="0")
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=3, help="timed passes over the queries; the best counts")
    a = ap.parse_args()

    faiss.omp_set_num_threads(1)
    base = read_vecs(a.base, np.float32, a.nb)
    queries = read_vecs(a.queries, np.float32, a.nq)
    gt = read_vecs(a.gt, np.int32, a.nq)[:, : a.k]
    if a.metric == "cosine":
        faiss.normalize_L2(base)
        faiss.normalize_L2(queries)
    metric = faiss.METRIC_L2 if a.metric == "l2" else faiss.METRIC_INNER_PRODUCT
    train = base[: a.ntrain]
    nprobes = [int(x) for x in a.nprobe.split(",")]
    reranks = [float(x) for x in a.rerank.split(",")]
    out = {"library": "faiss", "version": faiss.__version__, "threads": 1, "specs": []}

    # Per-call overhead of the Python binding, measured on a 1-vector index (subtract mentally, not here).
    tiny = faiss.IndexFlatL2(base.shape[1])
    tiny.add(base[:1])
    q1 = queries[:1]
    t0 = time.perf_counter()
    for _ in range(2000):
        tiny.search(q1, a.k)
    out["callOverheadUs"] = (time.perf_counter() - t0) / 2000 * 1e6

    for spec in a.spec:
        t0 = time.perf_counter()
        index = faiss.index_factory(base.shape[1], spec, metric)
        index.train(train)
        t1 = time.perf_counter()
        index.add(base)
        t2 = time.perf_counter()
        ivf = faiss.extract_index_ivf(index)
        is_pq = "PQ" in spec
        # The refine index reads the raw vectors from `base` (kept alive for the whole run).
        refine = faiss.IndexRefineFlat(index, faiss.swig_ptr(base)) if is_pq and any(r > 0 for r in reranks) else None
        entry = {"spec": spec, "trainSeconds": t1 - t0, "addSeconds": t2 - t1, "codeSize": int(ivf.code_size), "points": []}
        for nprobe in nprobes:
            ivf.nprobe = min(nprobe, ivf.nlist)
            for rr in reranks if is_pq else [0.0]:
                target = index
                if rr > 0:
                    refine.k_factor = rr
                    target = refine
                # Warm-up pass, then timed passes of the whole query set, one query per call.
                for i in range(min(20, a.nq)):
                    target.search(queries[i : i + 1], a.k)
                ids = np.empty((a.nq, a.k), dtype=np.int64)
                # Best of `rounds` passes (the machine may be shared), wall-clock and CPU time.
                best_wall = best_cpu = float("inf")
                for _ in range(a.rounds):
                    c0 = time.process_time()
                    w0 = time.perf_counter()
                    for i in range(a.nq):
                        _, I = target.search(queries[i : i + 1], a.k)
                        ids[i] = I[0]
                    best_wall = min(best_wall, time.perf_counter() - w0)
                    best_cpu = min(best_cpu, time.process_time() - c0)
                hits = sum(len(set(ids[i]).intersection(gt[i])) for i in range(a.nq))
                entry["points"].append({
                    "nprobe": ivf.nprobe,
                    "rerank": rr,
                    "recall": hits / (a.nq * a.k),
                    "qps": a.nq / best_cpu,
                    "wallQps": a.nq / best_wall,
                })
        out["specs"].append(entry)
        del refine, index
    print(json.dumps(out))


if __name__ == "__main__":
    main()
