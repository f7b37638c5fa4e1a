// The client hands out the record models; importing APClient is enough to use them.
@_exported import APModels
