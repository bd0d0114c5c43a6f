print("ketch")
