//! A field that names another document or declares it inline.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Either the name of a document of the right kind, or its body written in place.
///
/// Deserialized by hand rather than with `#[serde(untagged)]`: untagged enums buffer the
/// input, which throws away line and column, and an author who mistypes a field of an
/// inline template deserves to be told where.
#[derive(Debug, Clone, PartialEq)]
pub enum Ref<T> {
    Name(String),
    Inline(Box<T>),
}

impl<T> Ref<T> {
    pub fn name(&self) -> Option<&str> {
        match self {
            Ref::Name(name) => Some(name),
            Ref::Inline(_) => None,
        }
    }
}

impl<T: Serialize> Serialize for Ref<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Ref::Name(name) => serializer.serialize_str(name),
            Ref::Inline(body) => body.serialize(serializer),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Ref<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RefVisitor<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for RefVisitor<T> {
            type Value = Ref<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("the name of a document, or a mapping that declares it inline")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Ref::Name(v.to_owned()))
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|body| Ref::Inline(Box::new(body)))
            }
        }

        deserializer.deserialize_any(RefVisitor(PhantomData))
    }
}

impl<T: JsonSchema> JsonSchema for Ref<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("RefTo{}", T::schema_name()).into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let inline = generator.subschema_for::<T>();
        json_schema!({
            "anyOf": [
                {
                    "type": "string",
                    "description": "The name of a document of this kind, declared elsewhere in the workspace."
                },
                inline
            ]
        })
    }
}
