"""benchmarks/compare_reports.py: paired differences between evaluation reports."""

from __future__ import annotations

import csv
import json
import sys

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import compare_reports  # noqa: E402

FIELDS = ["row", "source", "noise", "snr", "caption", "class", "sdr", "sdri", "si_sdr",
          "si_sdri", "closer_to_mixture", "near_silent"]  # fmt: skip


def write_report(folder, rows):
    folder.mkdir()
    with open(folder / "rows.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    (folder / "summary.json").write_text(json.dumps({"count": len(rows)}))


def report_rows(si_sdri_shift: float, near_silent: float, *, reverse: bool = False):
    rows = []
    for index, snr in enumerate(range(-15, 16)):
        base = float(index % 5)
        rows.append(
            {
                "row": index,
                "source": f"s{index}.flac",
                "noise": f"n{index}.flac",
                "snr": snr,
                "caption": "a dog",
                "class": "dog",
                "sdr": 0.0,
                "sdri": base + 2.0 * si_sdri_shift,
                "si_sdr": 0.0,
                "si_sdri": base + si_sdri_shift,
                "closer_to_mixture": 0.0,
                "near_silent": near_silent,
            }  # fmt: skip
        )
    return rows[::-1] if reverse else rows


def test_paired_difference_matches_rows_by_mixture_not_by_order(tmp_path):
    write_report(tmp_path / "a", report_rows(0.0, 0.0))
    write_report(tmp_path / "b", report_rows(1.5, 1.0, reverse=True))
    reports = {name: compare_reports.load(tmp_path / name) for name in ("a", "b")}
    table = compare_reports.difference_table(reports).splitlines()
    assert len(table) == 3
    cells = [cell.strip() for cell in table[2].strip("|").split("|")]
    assert cells[:4] == ["b", "31", "+3.00 ± 0.00", "+1.50 ± 0.00"]
    assert cells[4:7] == ["+1.50 ± 0.00"] * 3  # every band
    assert cells[7] == "+1.00 ± 0.00"


def test_paired_difference_interval():
    values = [1.0, -1.0] * 50  # mean 0, standard deviation about 1.005
    assert (
        compare_reports.paired_difference(values) == f"+0.00 ± {1.96 * (100 / 99) ** 0.5 / 10:.2f}"
    )
    assert compare_reports.paired_difference([2.0]) == "–"
    assert compare_reports.paired_difference([]) == "–"


def test_support_table_groups_rows_by_the_target_class_packages(tmp_path):
    metadata = tmp_path / "metadata.csv"
    clips = [("dog", f"p{i}") for i in range(6)] + [("cat", "p0"), ("cat", "p0")]
    metadata.write_text(
        "file_name,class,package\n"
        + "".join(f"c{i}.flac,{c},{p}\n" for i, (c, p) in enumerate(clips))
    )
    packages = compare_reports.packages_per_class(metadata)
    assert packages == {"dog": 6, "cat": 1}
    rows = report_rows(0.0, 0.0)
    for row in rows[:10]:
        row["class"], row["si_sdri"], row["near_silent"] = "cat", -4.0, 1.0
    rows[10]["class"] = "coins"  # not in training
    write_report(tmp_path / "a", rows)
    table = compare_reports.support_table({"a": compare_reports.load(tmp_path / "a")}, packages)
    lines = {line.split("|")[1].strip(): line for line in table.splitlines()[2:]}
    assert set(lines) == {"none", "1–2", "5–7"}  # empty groups are left out
    cat = [cell.strip() for cell in lines["1–2"].strip("|").split("|")]
    assert cat[1] == "10" and cat[2].endswith("/ -4.00") and cat[3] == "100 %"
    dog = [cell.strip() for cell in lines["5–7"].strip("|").split("|")]
    assert dog[1] == "20" and dog[3] == "0 %"
