print("ap-sandbox: not built yet")
