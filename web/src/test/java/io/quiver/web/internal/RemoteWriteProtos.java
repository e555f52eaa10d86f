package io.quiver.web.internal;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;

/**
 * The official remote-write schemas (prompb/remote.proto + types.proto @v2.42.0, and
 * io/prometheus/write/v2/types.proto), rebuilt as descriptors so tests can encode payloads with protobuf-java's own
 * serializer, independently of the hand-written encoder and decoder.
 */
final class RemoteWriteProtos {
  static final Descriptor WRITE_REQUEST;
  static final Descriptor TIME_SERIES;
  static final Descriptor LABEL;
  static final Descriptor SAMPLE;
  static final Descriptor EXEMPLAR;
  static final Descriptor HISTOGRAM;
  static final Descriptor METADATA;
  static final Descriptor V2_REQUEST;
  static final Descriptor V2_TIME_SERIES;
  static final Descriptor V2_SAMPLE;

  static {
    FileDescriptorProto v1 = FileDescriptorProto.newBuilder()
        .setName("prometheus/remote.proto").setPackage("prometheus").setSyntax("proto3")
        .addMessageType(msg("WriteRequest", repeated("timeseries", 1, ".prometheus.TimeSeries"),
            repeated("metadata", 3, ".prometheus.MetricMetadata")))
        .addMessageType(msg("TimeSeries", repeated("labels", 1, ".prometheus.Label"),
            repeated("samples", 2, ".prometheus.Sample"), repeated("exemplars", 3, ".prometheus.Exemplar"),
            repeated("histograms", 4, ".prometheus.Histogram")))
        .addMessageType(msg("Label", scalar("name", 1, Type.TYPE_STRING), scalar("value", 2, Type.TYPE_STRING)))
        .addMessageType(msg("Sample", scalar("value", 1, Type.TYPE_DOUBLE), scalar("timestamp", 2, Type.TYPE_INT64)))
        .addMessageType(msg("Exemplar", repeated("labels", 1, ".prometheus.Label"),
            scalar("value", 2, Type.TYPE_DOUBLE), scalar("timestamp", 3, Type.TYPE_INT64)))
        .addMessageType(msg("Histogram", scalar("count_int", 1, Type.TYPE_UINT64), scalar("sum", 3, Type.TYPE_DOUBLE),
            scalar("schema", 4, Type.TYPE_SINT32), scalar("timestamp", 15, Type.TYPE_INT64)))
        .addMessageType(msg("MetricMetadata", scalar("type", 1, Type.TYPE_INT32),
            scalar("metric_family_name", 2, Type.TYPE_STRING), scalar("help", 4, Type.TYPE_STRING),
            scalar("unit", 5, Type.TYPE_STRING)))
        .build();
    FileDescriptorProto v2 = FileDescriptorProto.newBuilder()
        .setName("io/prometheus/write/v2/types.proto").setPackage("io.prometheus.write.v2").setSyntax("proto3")
        .addMessageType(msg("Request", repeatedScalar("symbols", 4, Type.TYPE_STRING),
            repeated("timeseries", 5, ".io.prometheus.write.v2.TimeSeries")))
        .addMessageType(msg("TimeSeries", repeatedScalar("labels_refs", 1, Type.TYPE_UINT32),
            repeated("samples", 2, ".io.prometheus.write.v2.Sample"),
            scalar("created_timestamp", 6, Type.TYPE_INT64)))
        .addMessageType(msg("Sample", scalar("value", 1, Type.TYPE_DOUBLE), scalar("timestamp", 2, Type.TYPE_INT64),
            scalar("start_timestamp", 3, Type.TYPE_INT64)))
        .build();
    try {
      Descriptors.FileDescriptor f1 = Descriptors.FileDescriptor.buildFrom(v1, new Descriptors.FileDescriptor[0]);
      Descriptors.FileDescriptor f2 = Descriptors.FileDescriptor.buildFrom(v2, new Descriptors.FileDescriptor[0]);
      WRITE_REQUEST = f1.findMessageTypeByName("WriteRequest");
      TIME_SERIES = f1.findMessageTypeByName("TimeSeries");
      LABEL = f1.findMessageTypeByName("Label");
      SAMPLE = f1.findMessageTypeByName("Sample");
      EXEMPLAR = f1.findMessageTypeByName("Exemplar");
      HISTOGRAM = f1.findMessageTypeByName("Histogram");
      METADATA = f1.findMessageTypeByName("MetricMetadata");
      V2_REQUEST = f2.findMessageTypeByName("Request");
      V2_TIME_SERIES = f2.findMessageTypeByName("TimeSeries");
      V2_SAMPLE = f2.findMessageTypeByName("Sample");
    } catch (Descriptors.DescriptorValidationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private RemoteWriteProtos() {}

  static DynamicMessage.Builder builder(Descriptor d) {
    return DynamicMessage.newBuilder(d);
  }

  static DynamicMessage label(String name, String value) {
    return builder(LABEL).setField(LABEL.findFieldByName("name"), name)
        .setField(LABEL.findFieldByName("value"), value).build();
  }

  static DynamicMessage sample(double value, long ts) {
    DynamicMessage.Builder b = builder(SAMPLE);
    // proto3: default values are not encoded; setting them would be the same on the wire.
    if (Double.doubleToRawLongBits(value) != 0L) {
      b.setField(SAMPLE.findFieldByName("value"), value);
    }
    if (ts != 0) {
      b.setField(SAMPLE.findFieldByName("timestamp"), ts);
    }
    return b.build();
  }

  static DynamicMessage series(java.util.List<DynamicMessage> labels, java.util.List<DynamicMessage> samples) {
    DynamicMessage.Builder b = builder(TIME_SERIES);
    labels.forEach(l -> b.addRepeatedField(TIME_SERIES.findFieldByName("labels"), l));
    samples.forEach(s -> b.addRepeatedField(TIME_SERIES.findFieldByName("samples"), s));
    return b.build();
  }

  static byte[] writeRequest(DynamicMessage... series) {
    DynamicMessage.Builder b = builder(WRITE_REQUEST);
    for (DynamicMessage s : series) {
      b.addRepeatedField(WRITE_REQUEST.findFieldByName("timeseries"), s);
    }
    return b.build().toByteArray();
  }

  private static DescriptorProto msg(String name, FieldDescriptorProto... fields) {
    DescriptorProto.Builder b = DescriptorProto.newBuilder().setName(name);
    for (FieldDescriptorProto f : fields) {
      b.addField(f);
    }
    return b.build();
  }

  private static FieldDescriptorProto scalar(String name, int number, Type type) {
    return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
        .setLabel(Label.LABEL_OPTIONAL).build();
  }

  private static FieldDescriptorProto repeatedScalar(String name, int number, Type type) {
    return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
        .setLabel(Label.LABEL_REPEATED).build();
  }

  private static FieldDescriptorProto repeated(String name, int number, String typeName) {
    return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(Type.TYPE_MESSAGE)
        .setTypeName(typeName).setLabel(Label.LABEL_REPEATED).build();
  }
}
