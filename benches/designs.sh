# Sourced by the benchmarks that work on large designs (scale.sh, edit_cost.sh): in the current
# folder, import ESCO to esco.yaml and generate the size-1 and size-4 designs against it
# (big-1.yaml, big-4.yaml), each only when missing. Needs BIN, GEN and ESCO_CSV set.
prepare_designs() {
  [ -s esco.yaml ] || "$BIN" import esco "$ESCO_CSV" -o esco.yaml
  for s in 1 4; do
    [ -s big-$s.yaml ] || "$GEN" --size $s --frameworks esco.yaml -o big-$s.yaml
  done
}
