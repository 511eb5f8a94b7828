"""lessonkit as an MkDocs plugin: its settings, the plugin, the runtime and wheels it serves, notebooks' install cell."""
