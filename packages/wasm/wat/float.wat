;; Float32 kernels: l2 / dot (pair, block, gather), nearest-centroid assignment, PQ table building.
;; All pointers and strides are in bytes. Vectors need no padding: 16-wide SIMD, then 4-wide, then scalar tail.
(module
  (import "env" "memory" (memory 1))

  ;; Squared l2 between dim floats at $a and $b. Four f32x4 accumulators hide the add latency.
  (func $l2 (export "l2") (param $a i32) (param $b i32) (param $dim i32) (result f32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $d v128)
    (local $end i32) (local $s f32) (local $x f32)
    (local.set $end (i32.add (local.get $a) (i32.shl (i32.and (local.get $dim) (i32.const -16)) (i32.const 2))))
    (block $b16 (loop $l16
      (br_if $b16 (i32.ge_u (local.get $a) (local.get $end)))
      (local.set $d (f32x4.sub (v128.load (local.get $a)) (v128.load (local.get $b))))
      (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (local.get $d) (local.get $d))))
      (local.set $d (f32x4.sub (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b))))
      (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (local.get $d) (local.get $d))))
      (local.set $d (f32x4.sub (v128.load offset=32 (local.get $a)) (v128.load offset=32 (local.get $b))))
      (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (local.get $d) (local.get $d))))
      (local.set $d (f32x4.sub (v128.load offset=48 (local.get $a)) (v128.load offset=48 (local.get $b))))
      (local.set $s3 (f32x4.add (local.get $s3) (f32x4.mul (local.get $d) (local.get $d))))
      (local.set $a (i32.add (local.get $a) (i32.const 64)))
      (local.set $b (i32.add (local.get $b) (i32.const 64)))
      (br $l16)))
    (local.set $end (i32.add (local.get $a) (i32.shl (i32.and (local.get $dim) (i32.const 12)) (i32.const 2))))
    (block $b4 (loop $l4
      (br_if $b4 (i32.ge_u (local.get $a) (local.get $end)))
      (local.set $d (f32x4.sub (v128.load (local.get $a)) (v128.load (local.get $b))))
      (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (local.get $d) (local.get $d))))
      (local.set $a (i32.add (local.get $a) (i32.const 16)))
      (local.set $b (i32.add (local.get $b) (i32.const 16)))
      (br $l4)))
    (local.set $s0 (f32x4.add (f32x4.add (local.get $s0) (local.get $s1)) (f32x4.add (local.get $s2) (local.get $s3))))
    (local.set $s (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $s0)) (f32x4.extract_lane 1 (local.get $s0)))
      (f32.add (f32x4.extract_lane 2 (local.get $s0)) (f32x4.extract_lane 3 (local.get $s0)))))
    (local.set $end (i32.add (local.get $a) (i32.shl (i32.and (local.get $dim) (i32.const 3)) (i32.const 2))))
    (block $b1 (loop $l1
      (br_if $b1 (i32.ge_u (local.get $a) (local.get $end)))
      (local.set $x (f32.sub (f32.load (local.get $a)) (f32.load (local.get $b))))
      (local.set $s (f32.add (local.get $s) (f32.mul (local.get $x) (local.get $x))))
      (local.set $a (i32.add (local.get $a) (i32.const 4)))
      (local.set $b (i32.add (local.get $b) (i32.const 4)))
      (br $l1)))
    (local.get $s))

  ;; Dot product of dim floats at $a and $b, same shape as $l2.
  (func $dot (export "dot") (param $a i32) (param $b i32) (param $dim i32) (result f32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local $end i32) (local $s f32)
    (local.set $end (i32.add (local.get $a) (i32.shl (i32.and (local.get $dim) (i32.const -16)) (i32.const 2))))
    (block $b16 (loop $l16
      (br_if $b16 (i32.ge_u (local.get $a) (local.get $end)))
      (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (v128.load (local.get $a)) (v128.load (local.get $b)))))
      (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b)))))
      (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (v128.load offset=32 (local.get $a)) (v128.load offset=32 (local.get $b)))))
      (local.set $s3 (f32x4.add (local.get $s3) (f32x4.mul (v128.load offset=48 (local.get $a)) (v128.load offset=48 (local.get $b)))))
      (local.set $a (i32.add (local.get $a) (i32.const 64)))
      (local.set $b (i32.add (local.get $b) (i32.const 64)))
      (br $l16)))
    (local.set $end (i32.add (local.get $a) (i32.shl (i32.and (local.get $dim) (i32.const 12)) (i32.const 2))))
    (block $b4 (loop $l4
      (br_if $b4 (i32.ge_u (local.get $a) (local.get $end)))
      (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (v128.load (local.get $a)) (v128.load (local.get $b)))))
      (local.set $a (i32.add (local.get $a) (i32.const 16)))
      (local.set $b (i32.add (local.get $b) (i32.const 16)))
      (br $l4)))
    (local.set $s0 (f32x4.add (f32x4.add (local.get $s0) (local.get $s1)) (f32x4.add (local.get $s2) (local.get $s3))))
    (local.set $s (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $s0)) (f32x4.extract_lane 1 (local.get $s0)))
      (f32.add (f32x4.extract_lane 2 (local.get $s0)) (f32x4.extract_lane 3 (local.get $s0)))))
    (local.set $end (i32.add (local.get $a) (i32.shl (i32.and (local.get $dim) (i32.const 3)) (i32.const 2))))
    (block $b1 (loop $l1
      (br_if $b1 (i32.ge_u (local.get $a) (local.get $end)))
      (local.set $s (f32.add (local.get $s) (f32.mul (f32.load (local.get $a)) (f32.load (local.get $b)))))
      (local.set $a (i32.add (local.get $a) (i32.const 4)))
      (local.set $b (i32.add (local.get $b) (i32.const 4)))
      (br $l1)))
    (local.get $s))

  ;; $kind 0: l2, otherwise dot.
  (func $dist (param $kind i32) (param $a i32) (param $b i32) (param $dim i32) (result f32)
    (if (result f32) (local.get $kind)
      (then (call $dot (local.get $a) (local.get $b) (local.get $dim)))
      (else (call $l2 (local.get $a) (local.get $b) (local.get $dim)))))

  ;; out[i] = dist(q, row i) for i < n: $kind 0 l2, 1 dot, 2 -dot (ip distance), 3 1 - dot (cosine distance). Row i is at rows + i*stride, or rows + slots[i]*stride when $slots != 0
  ;; (address 0 is never handed out by the heap, so it can mean "no slot list").
  (func (export "many") (param $kind i32) (param $q i32) (param $rows i32) (param $stride i32) (param $slots i32)
        (param $n i32) (param $dim i32) (param $out i32)
    (local $end i32) (local $row i32) (local $x f32)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $row (local.get $rows))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
      (if (local.get $slots) (then
        (local.set $row (i32.add (local.get $rows) (i32.mul (i32.load (local.get $slots)) (local.get $stride))))
        (local.set $slots (i32.add (local.get $slots) (i32.const 4)))))
      (if (i32.eqz (local.get $kind))
        (then (f32.store (local.get $out) (call $l2 (local.get $q) (local.get $row) (local.get $dim))))
        (else
          (local.set $x (call $dot (local.get $q) (local.get $row) (local.get $dim)))
          (f32.store (local.get $out)
            (if (result f32) (i32.eq (local.get $kind) (i32.const 1))
              (then (local.get $x))
              (else (if (result f32) (i32.eq (local.get $kind) (i32.const 2))
                (then (f32.neg (local.get $x)))
                (else (f32.sub (f32.const 1) (local.get $x)))))))))
      (local.set $row (i32.add (local.get $row) (local.get $stride)))
      (local.set $out (i32.add (local.get $out) (i32.const 4)))
      (br $next))))

  ;; For each of n rows: the centroid with the smallest l2 (or largest dot); first index wins a tie.
  (func (export "assign") (param $kind i32) (param $rows i32) (param $stride i32) (param $n i32)
        (param $cents i32) (param $cstride i32) (param $k i32) (param $dim i32) (param $outIdx i32) (param $outDist i32)
    (local $i i32) (local $c i32) (local $cp i32) (local $v f32) (local $best f32) (local $bestIdx i32)
    (block $rowsDone (loop $rowNext
      (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $best (f32.const inf))
      (local.set $bestIdx (i32.const -1))
      (local.set $c (i32.const 0))
      (local.set $cp (local.get $cents))
      (block $centsDone (loop $centNext
        (br_if $centsDone (i32.ge_u (local.get $c) (local.get $k)))
        ;; Minimise -dot so one comparison serves both metrics.
        (local.set $v (call $dist (local.get $kind) (local.get $rows) (local.get $cp) (local.get $dim)))
        (if (local.get $kind) (then (local.set $v (f32.neg (local.get $v)))))
        (if (f32.lt (local.get $v) (local.get $best)) (then
          (local.set $best (local.get $v))
          (local.set $bestIdx (local.get $c))))
        (local.set $cp (i32.add (local.get $cp) (local.get $cstride)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $centNext)))
      (if (local.get $kind) (then (local.set $best (f32.neg (local.get $best)))))
      (i32.store (local.get $outIdx) (local.get $bestIdx))
      (f32.store (local.get $outDist) (local.get $best))
      (local.set $outIdx (i32.add (local.get $outIdx) (i32.const 4)))
      (local.set $outDist (i32.add (local.get $outDist) (i32.const 4)))
      (local.set $rows (i32.add (local.get $rows) (local.get $stride)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rowNext))))

;; PQ table: table[j*ksub + c] = dist(q sub-vector j, centroid c of sub-quantizer j); centroids are m*ksub rows of dsub.
  ;; Sub-vectors are short (often 2..16), so the distance is inlined: a call per entry would cost more than the math.
  (func (export "pq_table") (param $kind i32) (param $q i32) (param $cents i32) (param $m i32) (param $ksub i32)
        (param $dsub i32) (param $table i32)
    (local $j i32) (local $tend i32) (local $i i32) (local $bytes i32) (local $bytes4 i32)
    (local $acc v128) (local $a v128) (local $c v128) (local $mask v128) (local $s f32) (local $x f32) (local $y f32)
    ;; all ones selects the dot term, zero the l2 term
    (local.set $mask (i32x4.splat (i32.sub (i32.const 0) (local.get $kind))))
    (local.set $bytes (i32.shl (local.get $dsub) (i32.const 2)))
    (local.set $bytes4 (i32.shl (i32.and (local.get $dsub) (i32.const -4)) (i32.const 2)))
    (block $subDone (loop $subNext
      (br_if $subDone (i32.ge_u (local.get $j) (local.get $m)))
      (local.set $tend (i32.add (local.get $table) (i32.shl (local.get $ksub) (i32.const 2))))
      (block $centsDone (loop $centNext
        (br_if $centsDone (i32.ge_u (local.get $table) (local.get $tend)))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $i (i32.const 0))
        (block $b4 (loop $l4
          (br_if $b4 (i32.ge_u (local.get $i) (local.get $bytes4)))
          (local.set $a (v128.load (i32.add (local.get $q) (local.get $i))))
          (local.set $c (v128.load (i32.add (local.get $cents) (local.get $i))))
          (local.set $acc (f32x4.add (local.get $acc) (v128.bitselect (f32x4.mul (local.get $a) (local.get $c))
            (f32x4.mul (f32x4.sub (local.get $a) (local.get $c)) (f32x4.sub (local.get $a) (local.get $c))) (local.get $mask))))
          (local.set $i (i32.add (local.get $i) (i32.const 16)))
          (br $l4)))
        (local.set $s (f32.add
          (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
          (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))
        (block $b1 (loop $l1
          (br_if $b1 (i32.ge_u (local.get $i) (local.get $bytes)))
          (local.set $x (f32.load (i32.add (local.get $q) (local.get $i))))
          (local.set $y (f32.load (i32.add (local.get $cents) (local.get $i))))
          (local.set $s (f32.add (local.get $s) (select (f32.mul (local.get $x) (local.get $y))
            (f32.mul (f32.sub (local.get $x) (local.get $y)) (f32.sub (local.get $x) (local.get $y))) (local.get $kind))))
          (local.set $i (i32.add (local.get $i) (i32.const 4)))
          (br $l1)))
        (f32.store (local.get $table) (local.get $s))
        (local.set $table (i32.add (local.get $table) (i32.const 4)))
        (local.set $cents (i32.add (local.get $cents) (local.get $bytes)))
        (br $centNext)))
      (local.set $q (i32.add (local.get $q) (local.get $bytes)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $subNext))))
)
