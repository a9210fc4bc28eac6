"""The benchmark scripts print figures; they are not tests. Keep pytest from collecting them even
when pointed at this folder."""

collect_ignore_glob = ["*.py"]
