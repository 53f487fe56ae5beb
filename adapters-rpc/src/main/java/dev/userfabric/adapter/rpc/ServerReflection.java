package dev.userfabric.adapter.rpc;

import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;

/** gRPC server reflection (v1), so grpcurl and friends can list and call our services. */
public final class ServerReflection implements BindableService {

  private final BindableService reflection = ProtoReflectionServiceV1.newInstance();

  @Override
  public ServerServiceDefinition bindService() {
    return reflection.bindService();
  }
}
