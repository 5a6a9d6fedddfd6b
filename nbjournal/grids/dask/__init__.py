"""A grid's points as tasks on a Dask cluster: connecting to it and readying its workers
(:mod:`.cluster`), the task each worker runs (:mod:`.task`) and the engine that
submits the tasks and follows them (:mod:`.engine`). Dask is imported only here."""
