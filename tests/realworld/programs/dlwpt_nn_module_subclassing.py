# Corpus program: one small network built three ways (nn.Sequential, nn.Sequential with an
# OrderedDict of names, an nn.Module subclass) and a fourth with a functional activation;
# their parameters listed by name.
# Follows: deep-learning-with-pytorch/dlwpt-code p1ch6/3_nn_module_subclassing.ipynb
#          (commit 43cf8e9f0f481147136852a00d6d653ae0dad539), the notebook of chapter 6 of
#          "Deep Learning with PyTorch" (Stevens, Antiga, Viehmann; Manning, 2020).
# Written for this corpus after that notebook's steps (same models and printed values; a
# notebook's displayed cell values are printed here); no text copied. Edits: none.
from collections import OrderedDict

import torch
import torch.nn as nn

torch.set_printoptions(edgeitems=2)

seq_model = nn.Sequential(
    nn.Linear(1, 11),
    nn.Tanh(),
    nn.Linear(11, 1))
print(seq_model)

namedseq_model = nn.Sequential(OrderedDict([
    ('hidden_linear', nn.Linear(1, 12)),
    ('hidden_activation', nn.Tanh()),
    ('output_linear', nn.Linear(12, 1))
]))
print(namedseq_model)


class SubclassModel(nn.Module):
    def __init__(self):
        super().__init__()
        # submodules assigned as attributes are registered, parameters and all
        self.hidden_linear = nn.Linear(1, 13)
        self.hidden_activation = nn.Tanh()
        self.output_linear = nn.Linear(13, 1)

    def forward(self, input):
        hidden_t = self.hidden_linear(input)
        activated_t = self.hidden_activation(hidden_t)
        output_t = self.output_linear(activated_t)
        return output_t


subclass_model = SubclassModel()
print(subclass_model)

for type_str, model in [('seq', seq_model), ('namedseq', namedseq_model),
                        ('subclass', subclass_model)]:
    print(type_str)
    for name_str, param in model.named_parameters():
        print("{:21} {:19} {}".format(name_str, str(param.shape), param.numel()))
    print()


class SubclassFunctionalModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden_linear = nn.Linear(1, 14)
        # no module for tanh: it has no parameters, torch.tanh does in forward
        self.output_linear = nn.Linear(14, 1)

    def forward(self, input):
        hidden_t = self.hidden_linear(input)
        activated_t = torch.tanh(hidden_t)
        output_t = self.output_linear(activated_t)
        return output_t


func_model = SubclassFunctionalModel()
print(func_model)
