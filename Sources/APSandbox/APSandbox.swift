// The sandbox server lives here (issue 2 §4).
public enum APSandboxModule {}
