"""ChineseTokenizer: a Rasa 3.6 tokenizer for Chinese (and mixed Chinese/latin) messages.

Use it in config.yml instead of JiebaTokenizer::

    - name: rasa_plugins.nlu.chinese_tokenizer.ChineseTokenizer

Segmentation rules are in :mod:`rasa_plugins.nlu.chinese_segmenter` (no whitespace tokens, entity spans
respected in training data, order/phone numbers and latin words kept whole). Training collects a
user dictionary from the training data: lookup-table entries, annotated entity texts and values,
and synonyms, plus the files in the optional ``dictionary_path`` folder (Jieba's format). The
dictionary is stored in the model, so the server segments exactly like training did.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import ENTITIES, ENTITY_ATTRIBUTE_END, ENTITY_ATTRIBUTE_START, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from rasa_plugins.nlu.chinese_segmenter import Segmenter, words_from_lines

USER_DICT_FILE = "user_dict.txt"


def training_data_words(training_data: TrainingData) -> List[str]:
    """Lookup-table entries, entity texts/values and synonyms: the words to keep whole."""
    words: List[str] = []
    for table in training_data.lookup_tables:
        elements = table.get("elements")
        if isinstance(elements, list):
            words.extend(str(element) for element in elements)
    for synonym, value in training_data.entity_synonyms.items():
        words.extend([str(synonym), str(value)])
    for example in training_data.entity_examples:
        text = example.get(TEXT) or ""
        for entity in example.get(ENTITIES) or []:
            words.append(text[entity[ENTITY_ATTRIBUTE_START]:entity[ENTITY_ATTRIBUTE_END]])
            if isinstance(entity.get("value"), str):
                words.append(entity["value"])
    return words


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True)
class ChineseTokenizer(Tokenizer):
    """Jieba with the fixes of :mod:`rasa_plugins.nlu.chinese_segmenter` and a learned user dictionary."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # Optional folder of extra Jieba dictionaries (one "word [freq] [tag]" per line).
            "dictionary_path": None,
            # Collect lookup tables, entity values and synonyms from the training data.
            "use_training_data_words": True,
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @staticmethod
    def supported_languages() -> Optional[List[Text]]:
        return None  # Chinese first; latin text is split into words, so English works too.

    @staticmethod
    def required_packages() -> List[Text]:
        return ["jieba"]

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 user_words: Optional[List[str]] = None) -> None:
        super().__init__(config)
        self._model_storage = model_storage
        self._resource = resource
        self.segmenter = Segmenter(user_words or [])

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "ChineseTokenizer":
        return cls(config, model_storage, resource, cls._dictionary_folder_words(config))

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "ChineseTokenizer":
        words: List[str] = []
        try:
            with model_storage.read_from(resource) as directory:
                path = Path(directory) / USER_DICT_FILE
                if path.is_file():
                    words = words_from_lines(path.read_text(encoding="utf-8").splitlines())
        except ValueError:  # nothing persisted (not trained yet)
            words = cls._dictionary_folder_words(config)
        return cls(config, model_storage, resource, words)

    @staticmethod
    def _dictionary_folder_words(config: Dict[Text, Any]) -> List[str]:
        folder = config.get("dictionary_path")
        if not folder:
            return []
        path = Path(folder)
        if not path.is_dir():
            raise ValueError(f"ChineseTokenizer: dictionary_path {folder!r} is not a folder; "
                             f"point it at a folder of Jieba dictionary files or remove it")
        words: List[str] = []
        for file in sorted(path.iterdir()):
            if file.is_file():
                words.extend(words_from_lines(file.read_text(encoding="utf-8").splitlines()))
        return words

    def train(self, training_data: TrainingData) -> Resource:
        """Adds the training data's words to the dictionary and stores it in the model."""
        if self._config["use_training_data_words"]:
            self.segmenter.add_words(training_data_words(training_data))
        with self._model_storage.write_to(self._resource) as directory:
            (Path(directory) / USER_DICT_FILE).write_text(
                "".join(f"{word}\n" for word in self.segmenter.user_words), encoding="utf-8")
        return self._resource

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        text = message.get(attribute) or ""
        boundaries: List[int] = []
        if attribute == TEXT:  # training examples carry entity spans; keep them token-aligned
            for entity in message.get(ENTITIES) or []:
                boundaries += [entity[ENTITY_ATTRIBUTE_START], entity[ENTITY_ATTRIBUTE_END]]
        words = self.segmenter.segment(text, boundaries)
        if not words and text.strip():
            stripped = text.strip()
            words = [(stripped, text.index(stripped))]
        return self._apply_token_pattern([Token(word, start) for word, start in words])
