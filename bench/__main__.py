import importlib
import pkgutil
import sys
import time
from pathlib import Path

REPORT = Path(__file__).resolve().parent.parent / "var" / "bench" / "report.md"


def main() -> int:
    import bench

    modules = [
        importlib.import_module(f"bench.{info.name}")
        for info in pkgutil.iter_modules(bench.__path__)
        if not info.name.startswith("_")
    ]
    benchmarks = [module for module in modules if hasattr(module, "run")]
    lines = ["# Gza benchmarks", "", f"Run at {time.strftime('%Y-%m-%d %H:%M:%S')}.", ""]
    if not benchmarks:
        lines.append("There are no benchmarks yet; later issues add them here.")
    failed = []
    for module in benchmarks:
        # One benchmark failing must not lose the others' figures; the run still fails.
        try:
            section = module.run()
        except Exception as error:  # reported below, and the exit code says so
            failed.append(module.__name__)
            section = f"**Failed:** {type(error).__name__}: {error}"
        lines += [f"## {module.__name__}", "", section, ""]
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    print(f"\nReport written to {REPORT}")
    if failed:
        print(f"Failed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
