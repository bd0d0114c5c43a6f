/// Placeholder until the PKI lands.
enum KetchPKIModule {}
