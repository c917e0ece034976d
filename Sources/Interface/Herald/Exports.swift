@_exported public import HeraldDomain
@_exported public import HeraldApplication
@_exported public import HeraldHTTP
