print("ap-reconcile: not built yet")
