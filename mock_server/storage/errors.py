"""What a storage engine reports that is not a rule of the ledger: its database cannot be
opened or reached. The CLI answers it with one line and exit 2, the web layer with 503."""


class StorageError(Exception):
    """The database named at start cannot be used (a URL that does not parse, a missing driver)."""


class Unavailable(StorageError):
    """The database cannot be reached now; a request may be retried once it is back."""


class StorageFault(Unavailable):
    """The ledger's storage refuses writes for a reason a person can act on, named in `detail`
    (answered with `status`): nothing of the refused write was kept."""

    def __init__(self, detail: str, status: int = 503):
        super().__init__(detail)
        self.detail = detail
        self.status = status
