"""A check as plain text for the terminal: verdict, scores, numbers, then each changed paragraph."""

from collections import Counter


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _lag(seconds: int | None, precision: str | None) -> str:
    if seconds is None:
        return "—"
    sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
    if precision == "day":
        return f"{sign}{seconds // 86400} d (day precision)"
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    return f"{sign}{days} d {hours} h {rest // 60} min ({precision} precision)"


def _status(check: dict) -> str:
    failure = check.get("original_failure")
    return f"{check.get('original_status')}: {failure}" if failure else str(check.get("original_status"))


def _title(title: dict) -> str:
    if title.get("equal") is None:
        return "—"
    return "equal" if title["equal"] else f"changed: {title.get('original')} → {title.get('reprint')}"


def _inline_diff(runs: list[list[str]]) -> str:
    """wdiff style: [-cut-]{+added+}."""
    marks = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}
    return "".join(marks[op].format(text) for op, text in runs)


def check_text(check: dict) -> str:
    attribution, title = check.get("attribution") or {}, check.get("title") or {}
    flags = ", ".join(check["flags"]) or "none"
    lines = [
        f"Reprint   {check['reprint_url']}",
        f"Original  {check.get('original_url') or '—'} ({_status(check)})",
        f"Verdict   {check.get('verdict') or 'not checked: no original to compare'}",
        f"Flags     {flags}",
        (f"Scores    coverage {_percent(check.get('coverage'))} · purity "
        f"{_percent(check.get('purity'))} · similarity {_percent(check.get('similarity'))}"),
        f"Title     {_title(title)}",
        (f"Source    {attribution.get('source') or '(none)'}; original published by "
        f"{', '.join(attribution.get('publisher') or []) or '—'}"),
        f"Lag       {_lag(check.get('lag_seconds'), check.get('lag_precision'))}",
    ]
    if check.get("changed_numbers"):
        lines.append("Changed numbers")
        lines += [f"  {change['original']} → {change['reprint']}   …{change['context']}…"
                  for change in check["changed_numbers"]]
    entries = check.get("paragraphs") or []
    if entries:
        counts = Counter(entry["status"] for entry in entries)
        lines.append("Paragraphs " + ", ".join(f"{n} {status}" for status, n in counts.items()))
    for entry in entries:
        if entry["status"] == "kept":
            continue
        where = f"original ¶{_number(entry['original_index'])} / reprint ¶{_number(entry['reprint_index'])}"
        lines.append(f"  [{entry['status']}] {where}")
        if entry["status"] == "changed":
            text = _inline_diff(entry["diff"])
        else:
            text = entry["original_text"] or entry["reprint_text"]
        lines += [f"    {line}" for line in text.splitlines()]
    return "\n".join(lines)


def _number(index: int | None) -> str:
    return "—" if index is None else str(index + 1)
