package dev.userfabric.adapter.rpc;

import dev.userfabric.domain.model.User;
import dev.userfabric.domain.port.in.CreateUserUseCase;
import dev.userfabric.domain.port.in.DeleteUserUseCase;
import dev.userfabric.domain.port.in.GetUserCommand;
import dev.userfabric.domain.port.in.ListUsersCommand;
import dev.userfabric.domain.port.in.LookupUserCommand;
import dev.userfabric.domain.port.in.ReadUserUseCase;
import dev.userfabric.domain.port.in.RefreshUserUseCase;
import dev.userfabric.domain.port.in.UnlinkIdentityUseCase;
import dev.userfabric.domain.port.out.UserPage;

/** Use cases a test does not expect to be called: calling one fails the test. */
final class UnusedUseCases {

  static final ReadUserUseCase READ = new ReadUserUseCase() {
    @Override
    public User getUser(GetUserCommand command) {
      throw new AssertionError("GetUser not expected");
    }

    @Override
    public User lookupUser(LookupUserCommand command) {
      throw new AssertionError("LookupUser not expected");
    }

    @Override
    public UserPage listUsers(ListUsersCommand command) {
      throw new AssertionError("ListUsers not expected");
    }
  };

  static final CreateUserUseCase CREATE = command -> {
    throw new AssertionError("CreateUser not expected");
  };

  static final RefreshUserUseCase REFRESH = command -> {
    throw new AssertionError("RefreshUser not expected");
  };

  static final DeleteUserUseCase DELETE = command -> {
    throw new AssertionError("DeleteUser not expected");
  };

  static final UnlinkIdentityUseCase UNLINK = command -> {
    throw new AssertionError("UnlinkIdentity not expected");
  };

  private UnusedUseCases() {}
}
