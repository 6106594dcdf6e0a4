#!/usr/bin/python3
"""A window with one button that can be dragged, offering one file as a
text/uri-list, as a file manager does. Used by scripts/desktop-drop.sh to drop
a real file onto Roster's window under Xvfb.

Usage: drag-source.py FILE
Prints "drag-data-get" when the drop target asked for the file, "drag-end" at the end.
"""
import os
import sys
import urllib.parse

import gi

gi.require_version("Gtk", "3.0")
from gi.repository import Gdk, Gtk  # noqa: E402

path = os.path.abspath(sys.argv[1])
uri = "file://" + urllib.parse.quote(path)

window = Gtk.Window(title="Roster drag source")
window.set_default_size(220, 120)
button = Gtk.Button(label="Drag " + os.path.basename(path))
button.drag_source_set(Gdk.ModifierType.BUTTON1_MASK, [], Gdk.DragAction.COPY)
button.drag_source_add_uri_targets()


def on_drag_data_get(widget, context, selection, info, time):
    selection.set_uris([uri])
    print("drag-data-get", flush=True)


def on_drag_end(widget, context):
    print("drag-end", flush=True)


button.connect("drag-data-get", on_drag_data_get)
button.connect("drag-end", on_drag_end)
window.add(button)
window.connect("destroy", Gtk.main_quit)
window.show_all()
Gtk.main()
