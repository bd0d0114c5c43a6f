public enum EtcdAPIPlaceholder {}
