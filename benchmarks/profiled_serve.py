"""`campfire-mock` under cProfile, each thread (event loop and thread-pool workers) timed in its
own CPU time, recording only between SIGUSR1 and the end of the process, so that start-up and
provisioning stay out of the profile.

    python benchmarks/profiled_serve.py STATS_FILE serve --db ... --port P

The command is found through its console-script entry point, wherever the lead moves it.
"""
import atexit
import cProfile
import pstats
import signal
import sys
import threading
import time
from importlib.metadata import entry_points

recording = threading.Event()
profiles: list[cProfile.Profile] = []


def profile_this_thread() -> None:
    profile = cProfile.Profile(time.thread_time)
    profiles.append(profile)
    profile.enable()  # replaces the hook below in this thread


def hook(*_event) -> None:
    """Installed in every thread started from now on; switches it to cProfile once recording."""
    if recording.is_set():
        profile_this_thread()


def start_recording(*_signal) -> None:  # runs in the main thread (the event loop's)
    recording.set()
    profile_this_thread()


def main() -> None:
    stats_file, argv = sys.argv[1], sys.argv[2:]
    threading.setprofile(hook)
    signal.signal(signal.SIGUSR1, start_recording)
    atexit.register(lambda: profiles and pstats.Stats(*profiles).dump_stats(stats_file))
    command = entry_points(group="console_scripts", name="campfire-mock")[0].load()
    command(args=argv, prog_name="campfire-mock")


if __name__ == "__main__":
    main()
