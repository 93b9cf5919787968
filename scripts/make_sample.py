"""Write synthetic extracts in the local (Liquidlogic-style) export format.

    python scripts/make_sample.py --out inputs
        the bundled sample: inputs/episodes.csv and inputs/interviews.xlsx

    python scripts/make_sample.py --episodes 1000000 --councils 20 --years 10 --seed 1 \\
        --interviews-format csv --out bench/data
        benchmark data of any size, in the same format

Both are deterministic: the same arguments always give the same bytes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# Run from a checkout without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from devtools import synthetic


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, generate, write, and say where the files went."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--out", type=Path, required=True, help="folder to write the two extracts into"
    )
    parser.add_argument(
        "--episodes",
        type=int,
        help="benchmark mode: number of episodes (omit for the bundled sample)",
    )
    parser.add_argument(
        "--councils", type=int, default=1, help="benchmark mode: councils' worth of children"
    )
    parser.add_argument("--years", type=int, default=10, help="benchmark mode: years of history")
    parser.add_argument("--seed", type=int, help="random seed (default: the sample's, or 0)")
    parser.add_argument(
        "--interviews-format",
        choices=("xlsx", "csv"),
        default="xlsx",
        help="interviews as XLSX (as councils export it) or CSV (fast for millions of rows)",
    )
    args = parser.parse_args(argv)
    if args.episodes is None:
        if args.councils != 1 or args.years != 10:
            parser.error("--councils and --years need --episodes (benchmark mode)")
        extracts = synthetic.sample(synthetic.SAMPLE_SEED if args.seed is None else args.seed)
    else:
        if args.episodes < 1 or args.councils < 1 or args.years < 1:
            parser.error("--episodes, --councils and --years must be at least 1")
        extracts = synthetic.generate(
            episodes=args.episodes,
            councils=args.councils,
            years=args.years,
            seed=0 if args.seed is None else args.seed,
        )
    episodes, interviews = synthetic.write(extracts, args.out, args.interviews_format)
    print(f"wrote {episodes} ({len(extracts.episodes)} episodes)")
    print(f"wrote {interviews} ({len(extracts.interviews)} RHI rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
