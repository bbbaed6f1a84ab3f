package dev.dxreactor.teleport.example;

public enum Role {
    READER, WRITER, ADMIN
}
