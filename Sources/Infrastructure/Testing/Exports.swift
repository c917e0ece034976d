@_exported public import HeraldInMemory
