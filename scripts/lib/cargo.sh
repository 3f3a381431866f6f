# Sourced by the scripts that build with cargo and then run what it built, from any directory.

# Moves to the repository `$1`, first making a relative CARGO_TARGET_DIR absolute: relative means
# relative to where the script was called from, and it stays so.
enter_repository() {
  if [ -n "${CARGO_TARGET_DIR:-}" ] && [ "${CARGO_TARGET_DIR#/}" = "$CARGO_TARGET_DIR" ]; then
    export CARGO_TARGET_DIR="$PWD/$CARGO_TARGET_DIR"
  fi
  cd "$1"
}

# Prints cargo's build directory, wherever CARGO_TARGET_DIR or a cargo config puts it.
cargo_target_dir() {
  cargo metadata --format-version 1 --no-deps --locked |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))'
}
